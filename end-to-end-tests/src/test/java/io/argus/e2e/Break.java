package io.argus.e2e;

import java.util.Arrays;

/**
 * Which guarantees a run breaks on purpose, to see their tests fail: {@code -Dargus.e2e.break=a,b}
 * (see docs/faults.md for the names and what each turns on). Off unless given.
 */
final class Break {

    private Break() {
    }

    static boolean is(String name) {
        return Arrays.asList(System.getProperty("argus.e2e.break", "").split(",")).contains(name);
    }
}
