package dev.ttscluster.deploy.local;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of a service JVM started by {@link ChildJvm}: exits when the launching JVM dies (even
 * by kill -9), so a crashed launcher or test run never leaves orphan services behind, then runs the
 * service's own main. Arguments: parent pid, service main class, the service's arguments.
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent)
                .ifPresentOrElse(p -> p.onExit().thenRun(ChildMain::exitOrphaned), ChildMain::exitOrphaned);
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    /** Stops like SIGTERM would (shutdown hooks run), forcibly if that takes over 20 s. */
    private static void exitOrphaned() {
        Thread killer = new Thread(
                () -> {
                    try {
                        Thread.sleep(20_000);
                    } catch (InterruptedException ignored) {
                        // halting anyway
                    }
                    Runtime.getRuntime().halt(3);
                },
                "orphan-halt");
        killer.setDaemon(true);
        killer.start();
        System.exit(3);
    }
}
