package dev.ttscluster.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tts-local}: runs the whole cluster on this machine.
 * <ul>
 *   <li>{@code up [--port P] [--workers N] [--data DIR] [--tenants N]}: starts it and prints
 *       {@code gateway: URL} once ready, then one line {@code api key: KEY} per tenant (one by default,
 *       tenant {@code local}; with {@code --tenants N}, tenants {@code tenant-1} to {@code tenant-N}), each key
 *       with the gateway's default quotas; Ctrl-C stops everything.</li>
 *   <li>{@code demo --out DIR [--workers N]}: starts it, synthesizes the bundled sample text, writes
 *       the audio into DIR and stops.</li>
 * </ul>
 */
public final class TtsLocal {
    private TtsLocal() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage(0);
        }
        Map<String, String> opts = options(args);
        int workers = Integer.parseInt(opts.getOrDefault("--workers", "2"));
        Path root = Path.of(System.getProperty("tts.repo.root", "."))
                .toAbsolutePath()
                .normalize();
        Path model =
                Path.of(opts.getOrDefault("--model", root.resolve("models/slt").toString()));
        switch (args[0]) {
            case "up" -> up(opts, workers, model);
            case "demo" -> demo(opts, workers, model, root);
            default -> usage(2);
        }
    }

    private static void up(Map<String, String> opts, int workers, Path model) throws InterruptedException, IOException {
        int port = Integer.parseInt(opts.getOrDefault("--port", "8080"));
        int tenants = Integer.parseInt(opts.getOrDefault("--tenants", "1"));
        if (tenants < 1 || tenants > 1000) {
            System.err.println("--tenants must be between 1 and 1000");
            usage(2);
        }
        Path data = dataDir(opts);
        System.out.println("starting Kafka, Redis, S3, gateway and " + workers + " worker(s); data in " + data);
        LocalCluster cluster = LocalCluster.start(data, port, workers, model, Map.of());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("stopping...");
                            cluster.close();
                            System.out.println("stopped");
                            done.countDown();
                        },
                        "tts-local-stop"));
        System.out.println("gateway: " + cluster.gatewayUrl());
        for (int t = 1; t <= tenants; t++) {
            String tenant = tenants == 1 ? "local" : "tenant-" + t;
            System.out.println(
                    "api key: " + cluster.createApiKey(tenant, dev.ttscluster.gateway.tenants.Quota.DEFAULTS));
        }
        System.out.println("logs: " + data.resolve("logs") + "   (Ctrl-C stops everything; send keys as "
                + "'Authorization: Bearer <api key>')");
        System.out.flush();
        done.await();
    }

    private static void demo(Map<String, String> opts, int workers, Path model, Path root) throws Exception {
        Path out = Path.of(opts.getOrDefault("--out", "out")).toAbsolutePath();
        Files.createDirectories(out);
        String text;
        try (InputStream in = TtsLocal.class.getResourceAsStream("/sample.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path data = dataDir(opts);
        System.out.println("starting the local cluster (" + workers + " workers); data in " + data);
        try (LocalCluster cluster = LocalCluster.start(data, 0, workers, model, Map.of())) {
            System.out.println("gateway: " + cluster.gatewayUrl());
            String key = cluster.createApiKey("demo");
            HttpClient http = HttpClient.newHttpClient();
            String body = Json.MAPPER.writeValueAsString(Map.of("text", text));
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/v1/jobs"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("submit failed: " + r.statusCode() + " " + r.body());
            }
            String id = Json.MAPPER.readTree(r.body()).get("id").asText();
            System.out.println("job " + id + " submitted (" + text.length() + " characters)");
            JsonNode job = null;
            long deadline = System.currentTimeMillis() + 300_000;
            while (System.currentTimeMillis() < deadline) {
                job = Json.MAPPER.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/v1/jobs/" + id))
                                        .header("Authorization", "Bearer " + key)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                String status = job.get("status").asText();
                System.out.printf("  %s %.0f%%%n", status, job.get("progress").asDouble() * 100);
                if (!status.equals("queued") && !status.equals("running")) {
                    break;
                }
                Thread.sleep(500);
            }
            if (job == null || !"succeeded".equals(job.get("status").asText())) {
                throw new IllegalStateException("job did not succeed: " + job);
            }
            HttpResponse<byte[]> audio = http.send(
                    HttpRequest.newBuilder(URI.create(job.get("audio_url").asText()))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Path wav = out.resolve("sample.wav");
            Files.write(wav, audio.body());
            Files.writeString(out.resolve("sample.txt"), text);
            Files.writeString(out.resolve("job.json"), job.toPrettyString());
            System.out.printf(
                    "wrote %s (%.1f s of audio, %d segments)%n",
                    wav,
                    job.get("audio_seconds").asDouble(),
                    job.get("segments").asInt());
        }
    }

    private static Path dataDir(Map<String, String> opts) throws IOException {
        return opts.containsKey("--data")
                ? Path.of(opts.get("--data")).toAbsolutePath()
                : Files.createTempDirectory("tts-local-");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option: " + args[i]);
                usage(2);
            }
            m.put(args[i], args[++i]);
        }
        return m;
    }

    private static void usage(int code) {
        System.out.println("""
                usage: tts-local up [--port 8080] [--workers 2] [--data DIR] [--model DIR] [--tenants 1]
                       tts-local demo --out DIR [--workers 2] [--data DIR] [--model DIR]""");
        System.exit(code);
    }
}
