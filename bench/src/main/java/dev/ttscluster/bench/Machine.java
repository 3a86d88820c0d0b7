package dev.ttscluster.bench;

import dev.ttscluster.bench.proc.ProcStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark ran on, read from /proc and the JVM. */
public final class Machine {
    private Machine() {}

    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", first("/proc/cpuinfo", "model name"));
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String mem = first("/proc/meminfo", "MemTotal");
        try {
            m.put("memory", String.format("%.1f GiB", Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
        } catch (NumberFormatException e) {
            m.put("memory", mem);
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("engine", "DJL 0.36.0, PyTorch 2.7.1 CPU (libtorch), offline");
        return m;
    }

    /** The GPU curve's status: none is measured by this harness on a CPU-only machine. */
    static String gpu() {
        return "not measured: no GPU machine was lent to the task that built this harness, and this machine has "
                + "none. On a GPU host, run the TorchScript bundle's batch curve there and add it here.";
    }

    /**
     * The commit the repository at {@code root} has checked out (short hash, "+dirty" when it has uncommitted
     * changes to tracked files); "unknown" where git cannot say.
     */
    static String commit(Path root) {
        try {
            String head = run(root, "git", "rev-parse", "--short=12", "HEAD");
            String dirty = run(root, "git", "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : "+dirty");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 ? out : "";
    }

    /** Resident memory of process {@code pid} in bytes, from /proc (0 where unknown). */
    public static long rssBytes(long pid) {
        return ProcStatus.rssBytes(pid);
    }

    private static String first(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String l : lines) {
                if (l.startsWith(key)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
