package dev.ttscluster.bench;

import dev.ttscluster.common.contract.Json;
import dev.ttscluster.worker.batch.BatchPolicy;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The raw engine in a JVM of its own, shaped like a worker's (same collector and heap), kept warm for
 * the whole benchmark and asked for measurements over stdin, so that the engine is measured neither
 * in the harness JVM (which hosts Kafka and the S3 server) nor cold. Protocol: one command per line,
 * one answer line starting with {@code PROBE } and JSON; other output lines are logs.
 * <ul>
 *   <li>{@code curve ROWS SECONDS}: fixed batch sizes 1..32 in arrival order, a JSON list of points</li>
 *   <li>{@code policy MAX_SIZE MAX_TOKENS WINDOW_MS GROUP POLL_SIZE ROWS SECONDS}: one point under a policy</li>
 *   <li>{@code rss}: the probe JVM's resident memory in bytes</li>
 * </ul>
 */
public final class EngineProbe implements AutoCloseable {
    private static final String ANSWER = "PROBE ";

    private final Process process;
    private final BufferedReader out;
    private final BufferedWriter in;
    private final String model;

    private EngineProbe(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.model = Json.MAPPER.readValue(answer(), String.class);
    }

    /**
     * Starts the probe JVM on {@code bundle} with the backlog's job texts (from {@code seed} and {@code jobs}).
     *
     * @throws IllegalStateException when it does not come up
     */
    public static EngineProbe start(Path bundle, long seed, int jobs, int longEvery, Path log) throws IOException {
        return start(bundle, "", seed, jobs, longEvery, log);
    }

    /** As {@link #start(Path, long, int, int, Path)} on the bundle's export {@code variant} (blank: its default). */
    public static EngineProbe start(Path bundle, String variant, long seed, int jobs, int longEvery, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                EngineProbe.class.getName(),
                bundle.toString(),
                Long.toString(seed),
                Integer.toString(jobs),
                Integer.toString(longEvery),
                variant.isBlank() ? "default" : variant));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        return new EngineProbe(pb.start());
    }

    public String model() {
        return model;
    }

    /** The fixed-batch-size curve. */
    public List<EngineBench.Point> curve(int rows, double seconds) throws IOException {
        return List.of(Json.MAPPER.readValue(ask("curve " + rows + " " + seconds), EngineBench.Point[].class));
    }

    /** One point under {@code policy}, the buffer refilled {@code pollSize} segments at a time. */
    public EngineBench.Point policy(BatchPolicy policy, int pollSize, int rows, double seconds) throws IOException {
        return Json.MAPPER.readValue(
                ask("policy " + policy.maxSize() + " " + policy.maxPaddedTokens() + " " + policy.windowMs() + " "
                        + policy.groupByLength() + " " + pollSize + " " + rows + " " + seconds),
                EngineBench.Point.class);
    }

    /** The probe JVM's resident memory in bytes (0 where unknown). */
    public long rssBytes() throws IOException {
        return Json.MAPPER.readValue(ask("rss"), Long.class);
    }

    private String ask(String command) throws IOException {
        in.write(command);
        in.newLine();
        in.flush();
        return answer();
    }

    private String answer() throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(ANSWER)) {
                return line.substring(ANSWER.length());
            }
        }
        throw new IllegalStateException("the engine probe exited with " + waitExit());
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        waitExit();
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        List<String> texts =
                new Workload(Long.parseLong(args[1])).mix(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        String variant = args.length > 4 ? args[4] : "";
        try (EngineBench engine = new EngineBench(Path.of(args[0]), variant, 1, texts, BenchMain.SEGMENT_MAX_CHARS)) {
            // warm up past the TorchScript executor's first profiling runs, on every batch shape the run will use
            engine.run(new int[] {1, 4, 16}, 48, 4);
            engine.runPolicy(new BatchPolicy(16, 2048, 50, true), 128, 64, 4);
            reply(engine.model());
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = stdin.readLine()) != null; ) {
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "curve" ->
                        reply(new ArrayList<>(engine.run(
                                        new int[] {1, 2, 4, 8, 16, 32},
                                        Integer.parseInt(f[1]),
                                        Double.parseDouble(f[2]))
                                .values()));
                    case "policy" ->
                        reply(engine.runPolicy(
                                new BatchPolicy(
                                        Integer.parseInt(f[1]),
                                        Integer.parseInt(f[2]),
                                        Long.parseLong(f[3]),
                                        Boolean.parseBoolean(f[4])),
                                Integer.parseInt(f[5]),
                                Integer.parseInt(f[6]),
                                Double.parseDouble(f[7])));
                    case "rss" -> reply(Machine.rssBytes(ProcessHandle.current().pid()));
                    default -> reply(Map.of("error", "unknown command " + f[0]));
                }
            }
        }
    }

    private static void reply(Object value) {
        try {
            System.out.println(ANSWER + Json.MAPPER.writeValueAsString(value));
            System.out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
