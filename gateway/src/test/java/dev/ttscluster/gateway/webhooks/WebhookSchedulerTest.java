package dev.ttscluster.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.testing.LoopbackRedis;
import dev.ttscluster.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The webhook scheduler and delivery on a real Redis (loopback) against a receiver on 127.0.0.1, with the
 * clock moved by hand: no test waits for a backoff.
 */
class WebhookSchedulerTest {
    private static final long BACKOFF_MS = 1000;
    private static final String TENANT = "acme";
    private static LoopbackRedis redisServer;

    /** What the receiver got: headers and body of each request. */
    record Received(String path, Map<String, String> headers, byte[] body) {}

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final Map<String, Map<String, Object>> events = new HashMap<>();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final WebhookSigner signer = new WebhookSigner("gateway-secret".getBytes(StandardCharsets.UTF_8));
    private HttpServer receiver;
    private UnifiedJedis redis;
    private WebhookStore store;

    @BeforeAll
    static void startRedis() {
        redisServer = LoopbackRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redisServer.close();
    }

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            received.add(new Received(ex.getRequestURI().getPath(), h, body));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.poll();
            }
            if (status / 100 == 3) {
                ex.getResponseHeaders().add("Location", "/elsewhere");
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        redis = JobStore.client(redisServer.url(), 2000);
        redis.flushAll();
        store = new WebhookStore(redis, 3600);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        store.close();
    }

    private WebhookScheduler scheduler(int maxAttempts) {
        WebhookDelivery delivery =
                new WebhookDelivery(new CallbackUrls(List.of("127.0.0.1")), () -> signer, Duration.ofSeconds(5));
        return new WebhookScheduler(
                store,
                (kind, id) -> events.get(kind + ":" + id),
                delivery,
                clock,
                Runnable::run,
                maxAttempts,
                BACKOFF_MS,
                5000);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + path);
    }

    /** Registers a job's callback as the routes do; returns its due-set member. */
    private String register(String id, URI url) {
        long now = clock.millis();
        store.register("job", id, TENANT, url, now, WebhookScheduler.firstDue(now));
        return WebhookStore.member("job", id);
    }

    private static Map<String, Object> succeeded(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "job.succeeded");
        m.put("id", id);
        m.put("status", "succeeded");
        return m;
    }

    private List<JsonNode> attempts(String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String a : store.entry("job", id).attempts()) {
            out.add(Json.MAPPER.readTree(a));
        }
        return out;
    }

    @Test
    void scanDeliversOnlyEntriesThatAreDueAndWhoseWorkIsFinal() throws Exception {
        String done = UUID.randomUUID().toString();
        String running = UUID.randomUUID().toString();
        String doneMember = register(done, url("/done"));
        String runningMember = register(running, url("/running"));
        events.put(doneMember, succeeded(done));
        events.put(runningMember, Map.of()); // not final yet
        WebhookScheduler s = scheduler(8);

        clock.advance(WebhookScheduler.WATCH_MS - 1);
        s.scan();
        assertThat(received).isEmpty();

        clock.advance(1);
        s.scan();
        assertThat(received).extracting(Received::path).containsExactly("/done");
        assertThat(store.fields(doneMember)).containsEntry("state", "delivered").containsEntry("attempts", "1");
        assertThat(store.dueAt(doneMember)).isNull();
        assertThat(store.fields(runningMember)).containsEntry("state", "pending");
        assertThat(store.dueAt(runningMember)).isEqualTo((double) (clock.millis() + WebhookScheduler.WATCH_MS));

        s.scan(); // nothing is due again
        assertThat(received).hasSize(1);
    }

    @Test
    void failedAttemptsAreRetriedWithADoublingBackoffOnTheInjectedClock() throws Exception {
        String id = UUID.randomUUID().toString();
        String member = register(id, url("/hook"));
        events.put(member, succeeded(id));
        answers.addAll(List.of(500, 503));
        WebhookScheduler s = scheduler(8);

        clock.advance(WebhookScheduler.WATCH_MS);
        s.scan();
        assertThat(received).hasSize(1);
        assertThat(store.dueAt(member)).isEqualTo((double) (clock.millis() + BACKOFF_MS));

        clock.advance(BACKOFF_MS - 1);
        s.scan();
        assertThat(received).hasSize(1);
        clock.advance(1);
        s.scan();
        assertThat(received).hasSize(2);
        assertThat(store.dueAt(member)).isEqualTo((double) (clock.millis() + 2 * BACKOFF_MS));

        clock.advance(2 * BACKOFF_MS - 1);
        s.scan();
        assertThat(received).hasSize(2);
        clock.advance(1);
        s.scan();
        assertThat(received).hasSize(3);
        assertThat(store.fields(member)).containsEntry("state", "delivered").containsEntry("attempts", "3");
        assertThat(attempts(id)).extracting(a -> a.get("status").asInt()).containsExactly(500, 503, 200);
        assertThat(attempts(id).get(0).get("error").asText()).isEqualTo("the receiver answered 500");
        assertThat(attempts(id).get(2).get("error").isNull()).isTrue();
        assertThat(received).extracting(r -> r.headers().get("tts-webhook-id")).containsOnly(member);
    }

    @Test
    void anEntryIsGivenUpAfterItsMostAttempts() {
        String id = UUID.randomUUID().toString();
        String member = register(id, url("/hook"));
        events.put(member, succeeded(id));
        answers.addAll(List.of(500, 500, 500));
        WebhookScheduler s = scheduler(2);

        clock.advance(WebhookScheduler.WATCH_MS);
        s.scan();
        clock.advance(BACKOFF_MS);
        s.scan();
        clock.advance(Duration.ofHours(1));
        s.scan();

        assertThat(received).hasSize(2);
        assertThat(store.fields(member)).containsEntry("state", "failed").containsEntry("attempts", "2");
        assertThat(store.dueAt(member)).isNull();
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBodyWithTheTenantsSecret() throws Exception {
        String id = UUID.randomUUID().toString();
        events.put(register(id, url("/hook")), succeeded(id));
        clock.advance(WebhookScheduler.WATCH_MS);
        scheduler(8).scan();

        Received r = received.get(0);
        String header = r.headers().get(WebhookSigner.HEADER.toLowerCase());
        long t = clock.millis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signer.secretOf(TENANT).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(mac.doFinal(r.body()));
        assertThat(header).isEqualTo("t=" + t + ",v1=" + expected);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        assertThat(Json.MAPPER.readTree(r.body()).get("type").asText()).isEqualTo("job.succeeded");
    }

    @Test
    void redirectsAreNotFollowedAndCountAsAFailedAttempt() throws Exception {
        String id = UUID.randomUUID().toString();
        events.put(register(id, url("/hook")), succeeded(id));
        answers.add(302);
        clock.advance(WebhookScheduler.WATCH_MS);
        scheduler(8).scan();

        assertThat(received).extracting(Received::path).containsExactly("/hook");
        assertThat(attempts(id)).singleElement().satisfies(a -> {
            assertThat(a.get("status").asInt()).isEqualTo(302);
            assertThat(a.get("error").asText()).isEqualTo("the receiver answered 302");
        });
    }

    @Test
    void aHostOffTheAllowListIsNeverCalledAndTheRefusalIsRecorded() throws Exception {
        String id = UUID.randomUUID().toString();
        URI offList = URI.create("http://localhost:" + receiver.getAddress().getPort() + "/hook");
        events.put(register(id, offList), succeeded(id));
        clock.advance(WebhookScheduler.WATCH_MS);
        scheduler(8).scan();

        assertThat(received).isEmpty();
        assertThat(attempts(id)).singleElement().satisfies(a -> {
            assertThat(a.get("status").isNull()).isTrue();
            assertThat(a.get("error").asText()).contains("not in the webhook allow list");
        });
    }

    @Test
    void workThatNeverAppearsIsGivenUpAfterTheGrace() throws Exception {
        String id = UUID.randomUUID().toString();
        String member = register(id, url("/hook")); // no event: the submission failed after registering
        WebhookScheduler s = scheduler(8);

        clock.advance(WebhookScheduler.WATCH_MS);
        s.scan();
        assertThat(store.fields(member)).containsEntry("state", "pending");

        clock.advance(WebhookScheduler.GONE_GRACE_MS);
        s.scan();
        assertThat(store.fields(member)).containsEntry("state", "failed");
        assertThat(attempts(id))
                .singleElement()
                .satisfies(a -> assertThat(a.get("error").asText()).isEqualTo("job is gone"));
        assertThat(received).isEmpty();
    }

    @Test
    void anEntryLockedByAnotherGatewayIsLeftAlone() {
        String id = UUID.randomUUID().toString();
        String member = register(id, url("/hook"));
        events.put(member, succeeded(id));
        assertThat(store.lock(member, "another-gateway", 60_000)).isTrue();
        clock.advance(WebhookScheduler.WATCH_MS);
        scheduler(8).scan();

        assertThat(received).isEmpty();
        assertThat(store.fields(member)).containsEntry("state", "pending");
    }
}
