package dev.ttscluster.deploy.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A service (gateway or worker) running as its own JVM process with the same classpath as this one,
 * configured by environment variables, its output copied to a log file. Lets tests kill -9, stop
 * (SIGTERM) and restart services like real processes.
 */
public final class ChildJvm implements AutoCloseable {
    /** Environment entry with further options for the child's JVM, space-separated; read by {@link #start}. */
    public static final String JVM_OPTS = "TTS_CHILD_JVM_OPTS";

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} and waits until it prints a line matching {@code readyLine}.
     *
     * @throws IllegalStateException when the process exits or stays silent past {@code timeoutMs}
     */
    public static ChildJvm start(
            String name,
            String mainClass,
            Map<String, String> env,
            Path logFile,
            Predicate<String> readyLine,
            long timeoutMs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + env.getOrDefault("TTS_CHILD_XMX", "512m"));
        // small services: the serial collector's footprint; workers: G1, whose collection work does not stall the
        // inference thread's core (measured: about 20% more engine throughput on 2 cores)
        cmd.add("g1".equals(env.get("TTS_CHILD_GC")) ? "-XX:+UseG1GC" : "-XX:+UseSerialGC");
        // further JVM options, space-separated (e.g. a pinned, pre-touched heap for a memory soak)
        for (String opt : env.getOrDefault(JVM_OPTS, "").trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-cp");
        cmd.add(serviceClasspath());
        cmd.add(ChildMain.class.getName());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        cmd.add(mainClass);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("DJL_OFFLINE", "true");
        return new ChildJvm(name, ReadyProcess.start(name, pb, logFile, readyLine, timeoutMs), logFile);
    }

    /**
     * This JVM's classpath without the S3 server and its servlet 6 API, which clash with the
     * gateway's Jetty 11 (servlet 5): services never run the S3 server.
     */
    public static String serviceClasspath() {
        String sep = java.io.File.pathSeparator;
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(sep))
                .filter(e -> {
                    String f = Path.of(e).getFileName().toString();
                    return !f.startsWith("s3proxy-") && !f.startsWith("jakarta.servlet-api-");
                })
                .collect(java.util.stream.Collectors.joining(sep));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit status of the ended process: 143 when a JVM ended on SIGTERM by itself (its shutdown
     * hooks returned), 137 when it was killed with SIGKILL ({@link #kill()}, or {@link #stop} past its grace).
     *
     * @throws IllegalThreadStateException while it still runs
     */
    public int exitValue() {
        return process.exitValue();
    }

    /** kill -9: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10_000);
    }

    /**
     * SIGTERM, then kill -9 after {@code graceMs}. The signal goes through the process handle: {@code
     * Process.destroy()} would also close this side of its output pipe, losing what it logs while it stops.
     */
    public void stop(long graceMs) {
        process.toHandle().destroy();
        if (!waitFor(graceMs)) {
            kill();
        }
    }

    private boolean waitFor(long ms) {
        try {
            return process.waitFor(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(15_000);
    }
}
