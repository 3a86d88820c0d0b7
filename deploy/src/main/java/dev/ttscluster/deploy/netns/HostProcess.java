package dev.ttscluster.deploy.netns;

import dev.ttscluster.deploy.local.ChildMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
    private final CountDownLatch ready = new CountDownLatch(1);

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
    public static HostProcess start(HostNetwork network, String host, String name, List<String> command,
                                    Map<String, String> env, Path logFile, Predicate<String> readyLine, long timeoutMs) {
        ProcessBuilder pb = new ProcessBuilder(network.inHost(host, command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("DJL_OFFLINE", "true");
        try {
            Files.createDirectories(logFile.getParent());
            Process p = pb.start();
            HostProcess hp = new HostProcess(name, p, logFile);
            Thread pump = new Thread(() -> hp.pump(readyLine), name + "-log");
            pump.setDaemon(true);
            pump.start();
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!hp.ready.await(100, TimeUnit.MILLISECONDS)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " on " + host + " exited with " + p.exitValue()
                            + " before it was ready; see " + logFile);
                }
                if (System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(name + " on " + host + " not ready after " + timeoutMs + " ms; see " + logFile);
                }
            }
            return hp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
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

    private void pump(Predicate<String> readyLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (ready.getCount() > 0 && readyLine.test(line)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone; nothing more to copy
        }
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
