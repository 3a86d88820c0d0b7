package dev.ttscluster.deploy.netns;

import dev.ttscluster.deploy.local.ChildMain;
import dev.ttscluster.deploy.local.ReadyProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process running on one host of a {@link HostNetwork} ({@code ip netns exec <ns> command...}, which
 * enters the namespace and executes the command in its place, so this is the service's own process),
 * its output copied to a log file. The JVMs among them run through {@link ChildMain}, so they exit when
 * the launching JVM dies.
 */
public final class HostProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private HostProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} on {@code host} and waits until it prints a line matching {@code readyLine}.
     *
     * @throws IllegalStateException when it exits or stays silent past {@code timeoutMs}
     */
    public static HostProcess start(
            HostNetwork network,
            String host,
            String name,
            List<String> command,
            Map<String, String> env,
            Path logFile,
            Predicate<String> readyLine,
            long timeoutMs) {
        ProcessBuilder pb = new ProcessBuilder(network.inHost(host, command));
        pb.environment().putAll(env);
        pb.environment().put("DJL_OFFLINE", "true");
        return new HostProcess(
                name, ReadyProcess.start(name + " on " + host, pb, logFile, readyLine, timeoutMs), logFile);
    }

    /**
     * The command line of a JVM running {@code mainClass} with {@code args} on {@code classpath}, through
     * {@link ChildMain} (it exits when this JVM dies).
     */
    public static List<String> java(String classpath, String xmx, boolean g1, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + xmx);
        cmd.add(g1 ? "-XX:+UseG1GC" : "-XX:+UseSerialGC");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ChildMain.class.getName());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after {@code graceMs}. */
    public void stop(long graceMs) {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop(15_000);
    }
}
