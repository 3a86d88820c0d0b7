package dev.ttscluster.deploy.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts a process whose output (stdout and stderr together) is appended to a log file by a daemon thread,
 * and waits until it prints a line that says it is ready. Used for the service JVMs on loopback and for the
 * processes of the network-namespace hosts.
 */
public final class ReadyProcess {
    private ReadyProcess() {}

    /**
     * Starts {@code pb} (its error stream is redirected into its output) and returns once a line matches
     * {@code readyLine}.
     *
     * @param name used in the log thread's name and in errors
     * @throws UncheckedIOException when the process cannot be started or the log's folder made
     * @throws IllegalStateException when it exits before it is ready, or is not ready within {@code timeoutMs}
     *     (then it is killed), or the wait is interrupted
     */
    public static Process start(
            String name, ProcessBuilder pb, Path logFile, Predicate<String> readyLine, long timeoutMs) {
        pb.redirectErrorStream(true);
        CountDownLatch ready = new CountDownLatch(1);
        try {
            Files.createDirectories(logFile.getParent());
            Process p = pb.start();
            Thread pump = new Thread(() -> pump(p, logFile, readyLine, ready), name + "-log");
            pump.setDaemon(true);
            pump.start();
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            name + " exited with " + p.exitValue() + " before it was ready; see " + logFile);
                }
                if (System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(name + " not ready after " + timeoutMs + " ms; see " + logFile);
                }
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    private static void pump(Process process, Path log, Predicate<String> readyLine, CountDownLatch ready) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
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
}
