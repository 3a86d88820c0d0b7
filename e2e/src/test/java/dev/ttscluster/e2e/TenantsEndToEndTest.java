package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.gateway.tenants.Quota;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Tenants and keys on the real gateway: every /v1 route needs a key, a key reaches only its tenant's jobs,
 * books and audio, presigned URLs cover one object and expire, quotas answer 429 with Retry-After,
 * Idempotency-Key replays create nothing new, DELETE removes a job's objects, and a gateway past its lag
 * bound answers 503.
 */
@OnSharedCluster
class TenantsEndToEndTest {
    static LocalCluster cluster;
    static Api alice;
    static Api bob;

    @BeforeAll
    static void cluster() {
        cluster = SharedCluster.get();
        alice = new Api(cluster.gatewayUrl(), cluster.createApiKey("alice"));
        bob = new Api(cluster.gatewayUrl(), cluster.createApiKey("bob"));
    }

    static String unique(String what) {
        return what + " number " + (System.nanoTime() % 100_000) + ".";
    }

    @Test
    void everyV1RouteNeedsAValidKey() {
        Api anonymous = new Api(cluster.gatewayUrl(), null);
        Api forged = new Api(cluster.gatewayUrl(), "tts_" + "A".repeat(43));
        for (Api a : List.of(anonymous, forged)) {
            for (String[] r : new String[][] {
                {"POST", "/v1/jobs"},
                {"GET", "/v1/jobs/00000000-0000-0000-0000-000000000000"},
                {"GET", "/v1/jobs/00000000-0000-0000-0000-000000000000/audio"},
                {"DELETE", "/v1/jobs/x"},
                {"POST", "/v1/books"},
                {"GET", "/v1/books/x"},
                {"POST", "/v1/books/x/cancel"}
            }) {
                HttpResponse<String> resp = a.send(r[0], r[1], "application/json", "{\"text\":\"hi\"}");
                assertThat(resp.statusCode())
                        .as(r[0] + " " + r[1] + ": " + resp.body())
                        .isEqualTo(401);
                assertThat(Api.json(resp.body()).get("error").asText()).isEqualTo("unauthorized");
                assertThat(resp.headers().firstValue("WWW-Authenticate"))
                        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            }
        }
        HttpResponse<String> basic =
                new Api(cluster.gatewayUrl(), null).sendWith("GET", "/v1/jobs/x", "Authorization", "Basic dTpw");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherTenantsKeyFindsNothing() throws Exception {
        HttpResponse<String> r = alice.submit(Map.of("text", unique("Alice owns this sentence")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Api.json(r.body()).get("id").asText();
        JsonNode job = alice.awaitFinal(id, Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(alice.getBytes("/v1/jobs/" + id + "/audio").statusCode()).isEqualTo(200);

        for (String path : List.of("/v1/jobs/" + id, "/v1/jobs/" + id + "/audio")) {
            HttpResponse<String> other = bob.get(path);
            assertThat(other.statusCode()).as(path).isEqualTo(404);
            assertThat(other.body()).doesNotContain("Alice").doesNotContain("tenants/alice");
        }
        assertThat(bob.send("POST", "/v1/jobs/" + id + "/cancel", null, null).statusCode())
                .isEqualTo(404);
        assertThat(bob.send("DELETE", "/v1/jobs/" + id, null, null).statusCode())
                .isEqualTo(404);
        assertThat(alice.get("/v1/jobs/" + id).statusCode())
                .as("bob's DELETE removed nothing")
                .isEqualTo(200);

        // a book, too
        HttpResponse<String> b =
                alice.post("/v1/books?title=Private", "text/markdown", "# One\n\n" + unique("A private chapter"));
        assertThat(b.statusCode()).as(b.body()).isEqualTo(202);
        String book = Api.json(b.body()).get("id").asText();
        assertThat(bob.get("/v1/books/" + book).statusCode()).isEqualTo(404);
        assertThat(bob.get("/v1/books/" + book + "/manifest").statusCode()).isEqualTo(404);
        assertThat(bob.send("DELETE", "/v1/books/" + book, null, null).statusCode())
                .isEqualTo(404);
        assertThat(alice.get("/v1/books/" + book).statusCode()).isEqualTo(200);

        // the presigned URL covers one object: another key in its path breaks the signature
        String url = job.get("audio_url").asText();
        assertThat(url).contains("tenants/alice/jobs/" + id + "/audio.wav");
        String sibling = url.replace("/audio.wav", "/segments/00000.wav");
        assertThat(alice.getBytes(url).statusCode()).isEqualTo(200);
        assertThat(alice.getBytes(sibling).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredPresignedUrlIsRefused() throws Exception {
        ChildJvm shortLived =
                cluster.startExtraGateway("gateway-presign", Map.of("TTS_GATEWAY_PRESIGN_TTL_SECONDS", "2"));
        try {
            Api a = new Api(cluster.urlOf(shortLived), cluster.createApiKey("carol"));
            String id = Api.json(a.submit(Map.of("text", unique("This link will not last")))
                            .body())
                    .get("id")
                    .asText();
            JsonNode job = a.awaitFinal(id, Duration.ofSeconds(120));
            String url = a.job(id).get("audio_url").asText();
            assertThat(a.getBytes(url).statusCode()).as("fresh").isEqualTo(200);
            Thread.sleep(3500);
            assertThat(a.getBytes(url).statusCode()).as("after its 2 s").isEqualTo(403);
            assertThat(a.job(id).get("audio_url").asText())
                    .as("the job view signs a fresh one")
                    .isNotEqualTo(url);
            assertThat(a.getBytes(a.job(id).get("audio_url").asText()).statusCode())
                    .isEqualTo(200);
            assertThat(job.get("status").asText()).isEqualTo("succeeded");
        } finally {
            shortLived.stop(10_000);
        }
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfter() {
        Api slow = new Api(cluster.gatewayUrl(), cluster.createApiKey("dave", new Quota(0.5, 3, 0)));
        List<Integer> codes = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = slow.get("/v1/jobs/00000000-0000-0000-0000-000000000000");
            codes.add(r.statusCode());
            if (r.statusCode() == 429 && limited == null) {
                limited = r;
            }
        }
        assertThat(codes.subList(0, 3)).as("the burst").containsOnly(404);
        assertThat(codes.subList(3, 6)).containsOnly(429);
        assertThat(Api.json(limited.body()).get("error").asText()).isEqualTo("rate_limited");
        assertThat(Api.json(limited.body()).get("message").asText()).contains("rate limit");
        int retry = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1, 2);
        assertThat(alice.get("/v1/jobs/00000000-0000-0000-0000-000000000000").statusCode())
                .as("another key is not limited")
                .isEqualTo(404);
    }

    @Test
    void aKeyAtItsConcurrentJobLimitGets429UntilOneFinishes() throws Exception {
        Api one = new Api(cluster.gatewayUrl(), cluster.createApiKey("erin", new Quota(0, 0, 1)));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            longText.append(unique("This job keeps the only slot busy for a while, sentence " + i))
                    .append(' ');
        }
        HttpResponse<String> first = one.submit(Map.of("text", longText.toString()));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> second = one.submit(Map.of("text", unique("I must wait my turn")));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(Api.json(second.body()).get("message").asText()).contains("concurrent limit of 1");
        assertThat(second.headers().firstValue("Retry-After")).isPresent();

        String id = Api.json(first.body()).get("id").asText();
        assertThat(one.awaitFinal(id, Duration.ofSeconds(180)).get("status").asText())
                .isEqualTo("succeeded");
        HttpResponse<String> third = one.submit(Map.of("text", unique("Now there is room")));
        assertThat(third.statusCode())
                .as("the slot is free once the job is done: " + third.body())
                .isEqualTo(202);
    }

    @Test
    void anIdempotentReplayReturnsTheFirstJobAndCreatesNoOther() throws Exception {
        String body = "{\"text\":\"" + unique("Charge me only once") + "\"}";
        String header = "order-" + System.nanoTime();
        HttpResponse<String> first =
                alice.sendWith("POST", "/v1/jobs", "Idempotency-Key", header, "application/json", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String id = Api.json(first.body()).get("id").asText();
        HttpResponse<String> replay =
                alice.sendWith("POST", "/v1/jobs", "Idempotency-Key", header, "application/json", body);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(Api.json(replay.body()).get("id").asText()).isEqualTo(id);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        HttpResponse<String> other = alice.sendWith(
                "POST",
                "/v1/jobs",
                "Idempotency-Key",
                header,
                "application/json",
                "{\"text\":\"Something else entirely.\"}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
        assertThat(Api.json(other.body()).get("error").asText()).isEqualTo("idempotency_key_reused");

        // the same header from another tenant is another claim
        HttpResponse<String> bobs =
                bob.sendWith("POST", "/v1/jobs", "Idempotency-Key", header, "application/json", body);
        assertThat(bobs.statusCode()).isEqualTo(202);
        assertThat(Api.json(bobs.body()).get("id").asText()).isNotEqualTo(id);

        assertThat(alice.awaitFinal(id, Duration.ofSeconds(120)).get("status").asText())
                .isEqualTo("succeeded");
        Set<String> jobsOfAlice = new java.util.HashSet<>();
        AudioBucket bucket =
                new AudioBucket(InfraConfig.fromEnv(cluster.servers().env()));
        bucket.list("tenants/alice/jobs/", o -> jobsOfAlice.add(o.key().split("/")[3]));
        try (JobStore store = JobStore.connect(
                cluster.servers().env().get(InfraConfig.REDIS_URL.name()), java.time.Clock.systemUTC(), 60)) {
            assertThat(store.get(id).orElseThrow().duplicates())
                    .as("no double work")
                    .isZero();
        }
        assertThat(jobsOfAlice).contains(id);
        HttpResponse<String> later =
                alice.sendWith("POST", "/v1/jobs", "Idempotency-Key", header, "application/json", body);
        assertThat(Api.json(later.body()).get("id").asText())
                .as("a replay after it finished")
                .isEqualTo(id);
        assertThat(Api.json(later.body()).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void deleteRemovesTheJobsObjectsAndRecord() throws Exception {
        HttpResponse<String> r = alice.submit(Map.of("text", unique("Forget me") + " " + unique("And this too")));
        String id = Api.json(r.body()).get("id").asText();
        assertThat(alice.awaitFinal(id, Duration.ofSeconds(120)).get("status").asText())
                .isEqualTo("succeeded");
        AudioBucket bucket =
                new AudioBucket(InfraConfig.fromEnv(cluster.servers().env()));
        List<String> before = new ArrayList<>();
        bucket.list(ObjectKeys.jobPrefix("alice", id), o -> before.add(o.key()));
        assertThat(before).as("segments and audio").hasSizeGreaterThanOrEqualTo(3);

        HttpResponse<String> del = alice.send("DELETE", "/v1/jobs/" + id, null, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(204);
        List<String> after = new ArrayList<>();
        bucket.list(ObjectKeys.jobPrefix("alice", id), o -> after.add(o.key()));
        assertThat(after).isEmpty();
        assertThat(alice.get("/v1/jobs/" + id).statusCode()).isEqualTo(404);
        assertThat(alice.get("/v1/jobs/" + id + "/audio").statusCode()).isEqualTo(404);
        assertThat(alice.send("DELETE", "/v1/jobs/" + id, null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aGatewayPastItsLagBoundAnswers503WithRetryAfter() throws Exception {
        // a consumer group that never commits: every record ever published counts as waiting
        ChildJvm strict = cluster.startExtraGateway(
                "gateway-admission",
                Map.of(
                        "TTS_GATEWAY_ADMIT_MAX_LAG",
                        "1",
                        "TTS_GATEWAY_WORKER_GROUP",
                        "nobody-consumes-" + System.nanoTime()));
        try {
            Api a = new Api(cluster.urlOf(strict), SharedCluster.key());
            assertThat(alice.submit(Map.of("text", unique("Fill the queue a little")))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(alice.submit(Map.of("text", unique("And a little more"))).statusCode())
                    .isEqualTo(202);
            HttpResponse<String> r = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) { // the gateway measures lag once a second
                r = a.submit(Map.of("text", unique("Too much is waiting")));
                if (r.statusCode() == 503) {
                    break;
                }
                Thread.sleep(300);
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(Api.json(r.body()).get("error").asText()).isEqualTo("overloaded");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(a.get("/v1/jobs/00000000-0000-0000-0000-000000000000").statusCode())
                    .as("reads still served")
                    .isEqualTo(404);
        } finally {
            strict.stop(10_000);
        }
    }

    @Test
    void theKeyStoreKeepsOnlyHashes() {
        String secret = cluster.createApiKey("frank");
        try (UnifiedJedis redis = JobStore.client(cluster.servers().env().get(InfraConfig.REDIS_URL.name()), 2000)) {
            for (String k : redis.keys("tts:apikey:*")) {
                assertThat(k).doesNotContain(secret);
                assertThat(redis.hgetAll(k).values()).noneMatch(v -> v.contains(secret.substring(4)));
            }
        }
        assertThat(secret.getBytes(StandardCharsets.US_ASCII)).hasSize(47);
    }
}
