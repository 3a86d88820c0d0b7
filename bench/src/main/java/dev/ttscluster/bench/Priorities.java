package dev.ttscluster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Lowers the CPU priority (raises the nice value) of every thread of some processes. On one small
 * machine the servers, the gateway and the load generator would otherwise take turns with the worker's
 * inference thread on the same cores; on a real cluster they run on other nodes. Raising a nice value
 * needs no privilege. Best effort: a thread that cannot be changed is left as it is.
 */
final class Priorities {
    private Priorities() {}

    /**
     * Lowers the priority of this JVM (servers, load generator) and every process it started (gateway, Redis) but
     * the workers {@code keep} and the engine-only JVM, as they would run on other nodes in a real cluster, and logs
     * how many threads changed, prefixed by {@code name}; {@code nice} 0 leaves priorities alone.
     */
    static void deprioritizeAllBut(List<Long> keep, int nice, String name, Consumer<String> log) {
        if (nice <= 0) {
            return;
        }
        List<Long> others = new ArrayList<>();
        others.add(ProcessHandle.current().pid());
        ProcessHandle.current()
                .descendants()
                .filter(p -> !keep.contains(p.pid()))
                .filter(p -> !p.info().commandLine().orElse("").contains(EngineProbe.class.getSimpleName()))
                .map(ProcessHandle::pid)
                .forEach(others::add);
        log.accept(name + ": nice " + nice + " for " + deprioritize(others, nice)
                + " threads of the servers, gateway and load generator");
    }

    /** Sets nice {@code nice} on every current thread of each process; returns how many threads changed. */
    static int deprioritize(List<Long> pids, int nice) {
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                tasks.forEach(t -> cmd.add(t.getFileName().toString()));
            } catch (IOException e) {
                // gone, or no /proc: nothing to do
            }
        }
        if (cmd.size() == 4) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor();
            return cmd.size() - 4;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
