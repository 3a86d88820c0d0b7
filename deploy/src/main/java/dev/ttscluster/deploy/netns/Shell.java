package dev.ttscluster.deploy.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the commands that build and tear down the namespaces ({@code ip}, {@code iptables}). Stateless, thread-safe. */
final class Shell {
    private Shell() {}

    /** Runs {@code ip args...}; its output. @throws IllegalStateException when it fails */
    static String ip(String... args) {
        List<String> c = new ArrayList<>();
        c.add("ip");
        c.addAll(List.of(args));
        Result r = run(c);
        if (r.code() != 0) {
            throw new IllegalStateException(String.join(" ", c) + " failed (" + r.code() + "): "
                    + r.out().trim());
        }
        return r.out();
    }

    /** A command's exit code and its output and errors together. */
    record Result(int code, String out) {}

    /** Runs a command to its end (30 s at most), output and errors together. */
    static Result run(List<String> command) {
        try {
            Path out = Files.createTempFile("hostnet", ".out");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(124, String.join(" ", command) + " timed out");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            if (command.get(0).equals("ip")) {
                return new Result(127, e.getMessage());
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
