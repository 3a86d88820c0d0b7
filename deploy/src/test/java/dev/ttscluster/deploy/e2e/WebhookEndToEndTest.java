package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks on the real cluster: a gateway that allow-lists 127.0.0.1 (and, to show it is never called,
 * 169.254.169.254) with a short backoff delivers a job's final state to a receiver in this test, which
 * answers 500 first and 200 next. Both deliveries carry a valid {@code Tts-Signature} made with the tenant's
 * secret from {@code GET /v1/webhooks/secret}, the retry a fresh timestamp, and the job view lists both
 * attempts. Refused callback URLs get 400.
 */
class WebhookEndToEndTest {
    record Delivery(long receivedMs, String signature, String webhookId, byte[] body) {
    }

    static LocalCluster cluster;
    static ChildJvm gateway;
    static Api api;
    static HttpServer receiver;
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    static final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedCluster.get();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(System.currentTimeMillis(), ex.getRequestHeaders().getFirst("Tts-Signature"),
                    ex.getRequestHeaders().getFirst("Tts-Webhook-Id"), body));
            int status = calls.incrementAndGet() == 1 ? 500 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        gateway = cluster.startExtraGateway("gateway-webhooks", Map.of("TTS_GATEWAY_WEBHOOK_ALLOW_HOSTS",
                "127.0.0.1,169.254.169.254", "TTS_GATEWAY_WEBHOOK_BACKOFF_MS", "1500", "TTS_GATEWAY_WEBHOOK_MAX_ATTEMPTS", "4"));
        api = new Api(cluster.urlOf(gateway), cluster.createApiKey("hooks"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop(10_000);
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aFailedDeliveryIsRetriedSignedAndListedOnTheJob() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        HttpResponse<String> r = api.submit(Map.of("text", "Call me back when this is spoken " + System.nanoTime() % 1000 + ".",
                "callback_url", url));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Api.json(r.body()).get("id").asText();
        assertThat(Api.json(r.body()).get("webhook").get("url").asText()).isEqualTo(url);

        JsonNode secretView = Api.json(api.get("/v1/webhooks/secret").body());
        String secret = secretView.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(secretView.get("tenant").asText()).isEqualTo("hooks");

        long deadline = System.currentTimeMillis() + 120_000;
        JsonNode job = api.job(id);
        while (!job.path("webhook").path("delivered").asBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            job = api.job(id);
        }
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        JsonNode hook = job.get("webhook");
        assertThat(hook.get("delivered").asBoolean()).as(job.toString()).isTrue();
        assertThat(hook.get("state").asText()).isEqualTo("delivered");
        JsonNode attempts = hook.get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("status").asInt()).isEqualTo(500);
        assertThat(attempts.get(0).get("error").asText()).contains("500");
        assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(attempts.get(1).get("error").isNull()).isTrue();
        assertThat(attempts.get(0).get("at").asText()).isNotEmpty();

        assertThat(deliveries).hasSize(2);
        long[] ts = new long[2];
        for (int i = 0; i < 2; i++) {
            Delivery d = deliveries.get(i);
            assertThat(d.webhookId()).isEqualTo("job:" + id);
            ts[i] = verify(secret, d);
            JsonNode body = Api.json(new String(d.body(), StandardCharsets.UTF_8));
            assertThat(body.get("type").asText()).isEqualTo("job.succeeded");
            assertThat(body.get("id").asText()).isEqualTo(id);
            assertThat(body.get("status").asText()).isEqualTo("succeeded");
            assertThat(body.get("audio_url").asText()).startsWith("http");
            assertThat(Math.abs(ts[i] * 1000 - d.receivedMs())).as("timestamp near the receiver's clock").isLessThan(5000);
        }
        assertThat(ts[1]).as("the retry is signed afresh").isGreaterThan(ts[0]);
        assertThat(deliveries.get(1).receivedMs() - deliveries.get(0).receivedMs()).as("backoff").isGreaterThanOrEqualTo(1400);
        // a signature made with another tenant's secret does not verify
        String other = Api.json(new Api(cluster.urlOf(gateway), cluster.createApiKey("hooks-other"))
                .get("/v1/webhooks/secret").body()).get("secret").asText();
        assertThat(other).isNotEqualTo(secret);
    }

    /** Checks the delivery's signature with the tenant's secret; returns its timestamp. */
    static long verify(String secret, Delivery d) throws Exception {
        assertThat(d.signature()).matches("t=[0-9]+,v1=[0-9a-f]{64}");
        String[] parts = d.signature().split(",");
        long t = Long.parseLong(parts[0].substring(2));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(d.body());
        assertThat(MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts[1].substring(3)))).as("signature").isTrue();
        return t;
    }

    @Test
    void refusedCallbackUrlsGet400() {
        for (String bad : List.of("http://169.254.169.254/latest/meta-data/", "http://hooks.example.com/x",
                "ftp://127.0.0.1/x", "http://127.0.0.1.nip.io/x")) {
            HttpResponse<String> r = api.submit(Map.of("text", "Never called.", "callback_url", bad));
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(Api.json(r.body()).get("message").asText()).contains("callback_url");
        }
        HttpResponse<String> nonString = api.submit(Map.of("text", "Never called.", "callback_url", 5));
        assertThat(nonString.statusCode()).isEqualTo(400);
        // the shared gateway lists no host: webhooks are refused there, saying so
        HttpResponse<String> off = new Api(cluster.gatewayUrl()).submit(Map.of("text", "Never called.",
                "callback_url", "http://127.0.0.1:9/hook"));
        assertThat(off.statusCode()).isEqualTo(400);
        assertThat(Api.json(off.body()).get("message").asText()).contains("not enabled");
        // books take it as a query parameter, checked the same way
        HttpResponse<String> book = api.post("/v1/books?callback_url=http://169.254.169.254/x", "text/plain", "A short book.");
        assertThat(book.statusCode()).as(book.body()).isEqualTo(400);
    }
}
