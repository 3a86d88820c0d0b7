package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ttscluster.client.api.BookUpload;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.client.api.WebhookSecret;
import dev.ttscluster.client.api.WebhookState;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks on the real cluster: a gateway that allow-lists 127.0.0.1 (and, to show it is never called,
 * 169.254.169.254) with a short backoff delivers a job's final state to a receiver in this test, which
 * answers 500 first and 200 next. Both deliveries carry a valid {@code Tts-Signature} made with the tenant's
 * secret from {@code GET /v1/webhooks/secret}, the retry a fresh timestamp, and the job view lists both
 * attempts. Refused callback URLs get 400.
 */
@OnSharedCluster
class WebhookEndToEndTest {
    record Delivery(long receivedMs, String signature, String webhookId, byte[] body) {}

    static LocalCluster cluster;
    static ChildJvm gateway;
    static String key;
    static TtsClient api;
    static HttpServer receiver;
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    static final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedCluster.get();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(
                    System.currentTimeMillis(),
                    ex.getRequestHeaders().getFirst("Tts-Signature"),
                    ex.getRequestHeaders().getFirst("Tts-Webhook-Id"),
                    body));
            int status = calls.incrementAndGet() == 1 ? 500 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        gateway = cluster.startExtraGateway(
                "gateway-webhooks",
                Map.of(
                        "TTS_GATEWAY_WEBHOOK_ALLOW_HOSTS",
                        "127.0.0.1,169.254.169.254",
                        "TTS_GATEWAY_WEBHOOK_BACKOFF_MS",
                        "1500",
                        "TTS_GATEWAY_WEBHOOK_MAX_ATTEMPTS",
                        "4"));
        key = cluster.createApiKey("hooks");
        api = TtsClient.of(cluster.urlOf(gateway), key);
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
        JobView submitted = api.submitJob(
                        JobRequest.of("Call me back when this is spoken " + System.nanoTime() % 1000 + ".")
                                .withCallbackUrl(url))
                .view();
        String id = submitted.id();
        assertThat(submitted.webhook().url()).isEqualTo(url);

        WebhookSecret secretView = api.webhookSecret();
        String secret = secretView.secret();
        assertThat(secret).startsWith("whsec_");
        assertThat(secretView.tenant()).isEqualTo("hooks");

        JobView job = api.awaitJob(
                id,
                Duration.ofSeconds(120),
                j -> j.webhook() != null && j.webhook().delivered());
        assertThat(job.status()).isEqualTo("succeeded");
        WebhookState hook = job.webhook();
        assertThat(hook.delivered()).as(job.toString()).isTrue();
        assertThat(hook.state()).isEqualTo("delivered");
        List<WebhookState.Attempt> attempts = hook.attempts();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).status()).isEqualTo(500);
        assertThat(attempts.get(0).error()).contains("500");
        assertThat(attempts.get(1).status()).isEqualTo(200);
        assertThat(attempts.get(1).error()).isNull();
        assertThat(attempts.get(0).at()).isNotNull();

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
            assertThat(Math.abs(ts[i] * 1000 - d.receivedMs()))
                    .as("timestamp near the receiver's clock")
                    .isLessThan(5000);
        }
        assertThat(ts[1]).as("the retry is signed afresh").isGreaterThan(ts[0]);
        assertThat(deliveries.get(1).receivedMs() - deliveries.get(0).receivedMs())
                .as("backoff")
                .isGreaterThanOrEqualTo(1400);
        // a signature made with another tenant's secret does not verify
        String other = TtsClient.of(cluster.urlOf(gateway), cluster.createApiKey("hooks-other"))
                .webhookSecret()
                .secret();
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
        assertThat(MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts[1].substring(3))))
                .as("signature")
                .isTrue();
        return t;
    }

    @Test
    void refusedCallbackUrlsGet400() {
        for (String bad : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://hooks.example.com/x",
                "ftp://127.0.0.1/x",
                "http://127.0.0.1.nip.io/x")) {
            TtsApiException e =
                    refused(() -> api.submitJob(JobRequest.of("Never called.").withCallbackUrl(bad)));
            assertThat(e.status()).as(bad + ": " + e.getMessage()).isEqualTo(400);
            assertThat(e.detail()).contains("callback_url");
        }
        // a callback URL that is not a string: only a raw request can send it
        Api raw = new Api(cluster.urlOf(gateway), key);
        HttpResponse<String> nonString = raw.submit(Map.of("text", "Never called.", "callback_url", 5));
        assertThat(nonString.statusCode()).isEqualTo(400);
        // the shared gateway lists no host: webhooks are refused there, saying so
        TtsApiException off = refused(() -> SharedCluster.client()
                .submitJob(JobRequest.of("Never called.").withCallbackUrl("http://127.0.0.1:9/hook")));
        assertThat(off.status()).isEqualTo(400);
        assertThat(off.detail()).contains("not enabled");
        // books take it as a query parameter, checked the same way
        TtsApiException book = refused(
                () -> api.submitBook(BookUpload.of("A short book.".getBytes(StandardCharsets.UTF_8), "text/plain")
                        .withCallbackUrl("http://169.254.169.254/x")));
        assertThat(book.status()).as(book.getMessage()).isEqualTo(400);
    }

    static TtsApiException refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        TtsApiException e = catchThrowableOfType(call, TtsApiException.class);
        assertThat(e).as("the request was accepted").isNotNull();
        return e;
    }
}
