package io.argus.local;

import java.util.Arrays;

import io.argus.local.broker.BrokerMain;
import io.argus.local.demo.DemoMain;

/** Entry point of the local-stack jar: {@code broker ...}, {@code topics ...} or {@code demo ...}. */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "broker" -> BrokerMain.main(rest);
            case "demo" -> DemoMain.main(rest);
            case "topics" -> io.argus.local.broker.TopicsMain.main(rest);
            default -> {
                System.err.println("usage: java -jar argus-local-stack.jar broker|topics|demo [options]");
                System.exit(2);
            }
        }
    }
}
