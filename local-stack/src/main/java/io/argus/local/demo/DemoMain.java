package io.argus.local.demo;

/** Placeholder replaced below. */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) {
    }
}
