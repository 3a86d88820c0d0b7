package dev.ttscluster.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Authenticator;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.books.EpubBook;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.jobs.SegmentPublisher;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.IdempotencyStore;
import dev.ttscluster.gateway.tenants.QuotaStore;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import dev.ttscluster.testing.Env;
import dev.ttscluster.testing.FakeS3;
import dev.ttscluster.testing.LoopbackRedis;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The job routes, their authorization and error answers on a real Javalin on a loopback port, with the real
 * job-state Redis (loopback) and Kafka's mock producer standing in for the broker.
 */
class JobRoutesTest {
    private static final int MAX_BODY = 4096;
    private static LoopbackRedis redisServer;
    private static FakeS3 s3;
    private static UnifiedJedis redis;
    private static JobStore store;
    private static GatewayMetrics metrics;
    private static Javalin app;
    private static HttpClient http;
    private static String base;
    private static String acme;
    private static String other;
    private static final AtomicBoolean kafkaFails = new AtomicBoolean();

    @BeforeAll
    static void start() {
        redisServer = LoopbackRedis.start();
        s3 = new FakeS3();
        GatewayConfig cfg = GatewayConfig.fromEnv(Env.s3Credentials()
                .and(
                        "TTS_GATEWAY_PORT",
                        "0",
                        "TTS_GATEWAY_BIND_HOST",
                        "127.0.0.1",
                        "TTS_REDIS_URL",
                        redisServer.url(),
                        "TTS_S3_ENDPOINT",
                        s3.endpoint(),
                        "TTS_GATEWAY_MAX_BODY_BYTES",
                        Integer.toString(MAX_BODY)));
        Clock clock = Clock.systemUTC();
        redis = JobStore.client(redisServer.url(), 2000);
        store = new JobStore(JobStore.client(redisServer.url(), 2000), clock, 3600);
        SegmentPublisher publisher = new SegmentPublisher(
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), 1000);
        AudioBucket bucket = new AudioBucket(cfg.infra());
        JobService jobs = new JobService(store, publisher, new Segmenter(cfg.segmentMaxChars()), clock);
        BookService books = new BookService(
                store,
                publisher,
                bucket,
                new Segmenter(cfg.bookSegmentMaxChars()),
                new EpubBook(EpubBook.Limits.ofDefaults(4L * cfg.maxBookBytes())),
                cfg.maxBookChars(),
                clock);
        ApiKeyStore keys = new ApiKeyStore(redis, clock);
        acme = keys.create("acme", "test", cfg.defaultQuota()).secret();
        other = keys.create("other", "test", cfg.defaultQuota()).secret();
        Authenticator auth = new Authenticator(keys, cfg.defaultQuota(), clock, 5000);
        Admission admission = new Admission(
                new QuotaStore(redis, 3600),
                () -> {
                    if (kafkaFails.get()) {
                        throw new RetriableException(Dependency.KAFKA, "lag unknown: broker unreachable", null);
                    }
                    return 0L;
                },
                cfg.admitMaxLag(),
                2);
        metrics = new GatewayMetrics();
        app = new HttpApi(
                        cfg,
                        jobs,
                        books,
                        bucket,
                        () -> true,
                        auth,
                        admission,
                        new IdempotencyStore(redis, 3600),
                        metrics)
                .create()
                .start();
        base = "http://127.0.0.1:"
                + ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        store.close();
        redis.close();
        s3.close();
        redisServer.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> submit(String key, String json) throws Exception {
        return send(request("/v1/jobs", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aRequestWithoutAKeyIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> r = send(
                request("/v1/jobs/00000000-0000-0000-0000-000000000000", null).GET());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tts\"");
    }

    @Test
    void anUnknownKeyIs401() throws Exception {
        HttpResponse<String> r =
                send(request("/v1/voices", "tts_" + "A".repeat(43)).GET());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("message").asText()).contains("not valid");
    }

    @Test
    void aSubmittedJobIsVisibleToItsTenantAndUnknownToAnother() throws Exception {
        HttpResponse<String> created = submit(acme, "{\"text\":\"Hello there. How are you?\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        String id = json(created).get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
        assertThat(json(created).get("status").asText()).isEqualTo("queued");

        HttpResponse<String> mine = send(request("/v1/jobs/" + id, acme).GET());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(json(mine).get("id").asText()).isEqualTo(id);
        assertThat(json(mine).has("webhook")).isTrue();

        for (HttpRequest.Builder b : new HttpRequest.Builder[] {
            request("/v1/jobs/" + id, other).GET(),
            request("/v1/jobs/" + id + "/audio", other).GET(),
            request("/v1/jobs/" + id, other).DELETE(),
            request("/v1/jobs/" + id + "/cancel", other).POST(HttpRequest.BodyPublishers.noBody())
        }) {
            HttpResponse<String> theirs = send(b);
            assertThat(theirs.statusCode()).isEqualTo(404);
            assertThat(json(theirs).get("error").asText()).isEqualTo("not_found");
        }
        assertThat(store.get(id)).isPresent();
    }

    @Test
    void aValidationErrorIs400NamingTheField() throws Exception {
        HttpResponse<String> speed = submit(acme, "{\"text\":\"Hello.\",\"speed\":9}");
        assertThat(speed.statusCode()).isEqualTo(400);
        assertThat(json(speed).get("error").asText()).isEqualTo("invalid_request");
        assertThat(json(speed).get("message").asText()).contains("'speed'");

        HttpResponse<String> text = submit(acme, "{\"voice\":\"slt\"}");
        assertThat(json(text).get("message").asText()).contains("'text'");

        HttpResponse<String> unknown = submit(acme, "{\"text\":\"Hello.\",\"colour\":\"red\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("message").asText()).contains("'colour'");
    }

    @Test
    void malformedOrDuplicateKeyJsonIs400() throws Exception {
        assertThat(submit(acme, "{\"text\":").statusCode()).isEqualTo(400);
        HttpResponse<String> dup = submit(acme, "{\"text\":\"a\",\"text\":\"b\"}");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(json(dup).get("message").asText()).startsWith("body is not valid JSON");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> r = send(request("/v1/jobs", acme)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("Hello.")));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> r = submit(acme, "{\"text\":\"" + "a".repeat(MAX_BODY) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("payload_too_large");
        assertThat(json(r).get("message").asText()).contains(Integer.toString(MAX_BODY));
    }

    @Test
    void anUnavailableBackingServiceIs503WithRetryAfterCountedByDependency() throws Exception {
        kafkaFails.set(true);
        try {
            HttpResponse<String> r = submit(acme, "{\"text\":\"Hello.\"}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("error").asText()).isEqualTo("unavailable");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(metrics.scrape()).containsPattern("tts_gateway_backend_errors_total\\{[^}]*kafka");
        } finally {
            kafkaFails.set(false);
        }
    }

    @Test
    void anUnknownRouteIs404AndAWrongMethod405AsJson() throws Exception {
        HttpResponse<String> none = send(request("/v1/nothing-here", acme).GET());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("error").asText()).isEqualTo("not_found");
        HttpResponse<String> method = send(request("/v1/jobs", acme).PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(json(method).get("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void everyResponseCarriesTheCallersTraceId() throws Exception {
        HttpResponse<String> r = send(
                request("/healthz", null).header("X-Request-Id", "req-12345678").GET());
        assertThat(r.headers().firstValue("X-Trace-Id")).hasValue("req-12345678");
        assertThat(RequestTracing.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
