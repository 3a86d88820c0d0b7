package dev.ttscluster.gateway.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.BookStore;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.events.EventsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks: a job's or a book's {@code callback_url} is POSTed a signed JSON event once it reaches a final
 * state ({@code job.succeeded}, {@code job.failed}, {@code job.cancelled}, {@code book.*}).
 *
 * <p><b>Who delivers, and why.</b> The gateway that accepts the work records the callback in the job-state
 * Redis ({@code tts:webhook:{kind}:{id}} hash: url, tenant, state, attempt count; {@code ...:attempts} list of
 * attempts) and puts it in the sorted set {@code tts:webhooks:due} scored by when it is next due. Every gateway
 * with webhooks enabled scans that set; a due entry is claimed with a per-entry lock ({@code SET NX PX}), so
 * exactly one gateway works on it at a time, and a gateway that dies holding one loses only the lock's lifetime.
 * The claimant reads the target's status: not final yet, the entry is due again shortly; final, it delivers.
 * This watches the state instead of hooking every place a job ends (the worker's assembly, dead letters, the
 * gateway's cancel, books): nothing in the workers changes, a restart of any gateway or worker loses no
 * delivery (everything is in Redis, the lock expires), and the retries (exponential backoff from
 * {@code TTS_GATEWAY_WEBHOOK_BACKOFF_MS}, up to {@code TTS_GATEWAY_WEBHOOK_MAX_ATTEMPTS}) survive restarts too.
 * Delivery is at-least-once: a receiver dedupes on the {@code Tts-Webhook-Id} header.
 *
 * <p>Every attempt is recorded ({@code at}, the HTTP {@code status} or null, the {@code error}) and shown in the
 * job or book view under {@code webhook}. The URL is checked again ({@link CallbackUrls}) before each attempt;
 * redirects are never followed. Thread-safe.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    static final String DUE = "tts:webhooks:due";
    static final String MASTER = "tts:webhooks:master";
    /** Re-check interval of work that is not final yet. */
    private static final long WATCH_MS = 300;
    /** Work still unknown this long after its callback was registered (the submission failed) is given up. */
    private static final long GONE_GRACE_MS = 60_000;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final EventsConfig cfg;
    private final UnifiedJedis redis;
    private final JobStore jobs;
    private final BookStore books;
    private final AudioBucket bucket;
    private final Duration presignTtl;
    private final long ttlSeconds;
    private final Clock clock;
    private final CallbackUrls urls;
    private WebhookSigner signer;
    private final HttpClient http;
    private final String instance = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private ScheduledExecutorService scanner;
    private ExecutorService senders;

    /**
     * @param redis client of the job-state Redis; closed by {@link #close()}
     * @param ttlSeconds how long a callback's record is kept
     */
    public Webhooks(EventsConfig cfg, UnifiedJedis redis, JobStore jobs, AudioBucket bucket, Duration presignTtl,
                    long ttlSeconds, Clock clock) {
        this.cfg = cfg;
        this.redis = redis;
        this.jobs = jobs;
        this.books = jobs.books();
        this.bucket = bucket;
        this.presignTtl = presignTtl;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
        this.urls = new CallbackUrls(cfg.webhookAllowHosts());
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(cfg.webhookTimeoutMs())).build();
    }

    /**
     * The signer, made on first use (so a gateway starts while Redis is down): from {@code TTS_GATEWAY_WEBHOOK_SECRET},
     * or from the secret generated once in Redis that every gateway shares.
     *
     * @throws RetriableException when Redis is needed and unavailable
     */
    private synchronized WebhookSigner signer() {
        if (signer == null) {
            String secret = cfg.webhookSecret();
            if (secret.isEmpty()) {
                secret = call(() -> {
                    redis.setnx(MASTER, HexFormat.of().formatHex(new SecureRandom().generateSeed(32)));
                    return redis.get(MASTER);
                });
            }
            signer = new WebhookSigner(secret.getBytes(StandardCharsets.UTF_8));
        }
        return signer;
    }

    /** Starts delivering (only when webhooks are enabled: a gateway that refuses them delivers none). */
    public Webhooks start() {
        if (cfg.webhooksEnabled()) {
            senders = Executors.newFixedThreadPool(4, daemon("webhook-send"));
            scanner = Executors.newSingleThreadScheduledExecutor(daemon("webhook-scan"));
            scanner.scheduleWithFixedDelay(this::scan, 200, 200, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The body's {@code callback_url}, checked, or null when it has none.
     *
     * @throws ApiException 400 when it is not a string or is refused
     */
    public URI callbackOf(JsonNode body) {
        JsonNode n = body == null ? null : body.get("callback_url");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("'callback_url' must be a string");
        }
        return urls.check(n.asText());
    }

    /** A {@code callback_url} query parameter, checked, or null when absent. */
    public URI callbackOf(String url) {
        return url == null ? null : urls.check(url);
    }

    /** Records that {@code kind} ("job" or "book") {@code id} of {@code tenant} is to be announced to {@code url}. */
    public void register(String kind, String id, String tenant, URI url) {
        String k = key(kind, id);
        call(() -> {
            try (redis.clients.jedis.AbstractPipeline p = redis.pipelined()) {
                p.hset(k, Map.of("url", url.toString(), "tenant", tenant, "state", "pending", "attempts", "0",
                        "created_ms", Long.toString(clock.millis())));
                p.expire(k, ttlSeconds);
                p.zadd(DUE, clock.millis() + WATCH_MS, kind + ":" + id);
                p.sync();
            }
            return null;
        });
    }

    /** The {@code webhook} field of a view: url, state, delivered, attempts; empty when it has no callback. */
    public Optional<Map<String, Object>> view(String kind, String id) {
        String k = key(kind, id);
        Map<String, String> h;
        List<String> attempts;
        try (redis.clients.jedis.AbstractPipeline p = redis.pipelined()) {
            redis.clients.jedis.Response<Map<String, String>> rh = p.hgetAll(k);
            redis.clients.jedis.Response<List<String>> ra = p.lrange(k + ":attempts", 0, -1);
            p.sync();
            h = rh.get();
            attempts = ra.get();
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            throw new RetriableException("job-state Redis unavailable: " + e.getMessage(), e);
        }
        if (h == null || h.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", h.get("url"));
        m.put("state", h.getOrDefault("state", "pending"));
        m.put("delivered", "delivered".equals(h.get("state")));
        List<Object> as = new ArrayList<>();
        for (String a : attempts) {
            try {
                as.add(Json.MAPPER.readTree(a));
            } catch (java.io.IOException e) {
                // a damaged entry is left out
            }
        }
        m.put("attempts", as);
        return Optional.of(m);
    }

    /** {@code GET /v1/webhooks/secret}: the caller's signing secret and how signatures are made. */
    public Map<String, Object> secretView(String tenant) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("secret", signer().secretOf(tenant));
        m.put("header", WebhookSigner.HEADER);
        m.put("scheme", "t=<unix seconds>,v1=<hex HMAC-SHA256, key: the secret as UTF-8, message: t + \".\" + raw body>");
        m.put("enabled", cfg.webhooksEnabled());
        return m;
    }

    /** One scan: claims due entries and hands them to the senders. */
    void scan() {
        try {
            List<String> due = redis.zrangeByScore(DUE, 0, clock.millis(), 0, 32);
            for (String member : due) {
                String lock = "tts:webhook:lock:" + member;
                long hold = 2L * cfg.webhookTimeoutMs() + 10_000;
                if (!"OK".equals(redis.set(lock, instance, SetParams.setParams().nx().px(hold)))) {
                    continue;
                }
                senders.execute(() -> {
                    try {
                        process(member);
                    } catch (RuntimeException e) {
                        log.warn("webhook {}: {}", member, e.getMessage());
                    } finally {
                        try {
                            redis.eval(RELEASE, List.of(lock), List.of(instance));
                        } catch (RuntimeException ignored) {
                            // the lock expires on its own
                        }
                    }
                });
            }
        } catch (RuntimeException e) {
            log.debug("webhook scan: {}", e.getMessage());
        }
    }

    private void process(String member) {
        int colon = member.indexOf(':');
        String kind = member.substring(0, colon);
        String id = member.substring(colon + 1);
        String k = key(kind, id);
        Map<String, String> h = redis.hgetAll(k);
        long now = clock.millis();
        if (h == null || h.isEmpty() || !"pending".equals(h.get("state"))) {
            redis.zrem(DUE, member);
            return;
        }
        Map<String, Object> payload = payload(kind, id);
        if (payload == null) {
            if (now - Long.parseLong(h.getOrDefault("created_ms", "0")) > GONE_GRACE_MS) {
                record(k, null, kind + " is gone");
                redis.hset(k, "state", "failed");
                redis.zrem(DUE, member);
            } else {
                redis.zadd(DUE, now + WATCH_MS, member);
            }
            return;
        }
        if (payload.isEmpty()) { // not final yet
            redis.zadd(DUE, now + WATCH_MS, member);
            return;
        }
        String url = h.get("url");
        Integer status = null;
        String error = urls.refusal(url);
        if (error == null) {
            try {
                byte[] body = Json.MAPPER.writeValueAsBytes(payload);
                long t = now / 1000;
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(cfg.webhookTimeoutMs()))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "tts-cluster-webhooks/1")
                        .header("Tts-Webhook-Id", member)
                        .header(WebhookSigner.HEADER, signer().signature(h.get("tenant"), t, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
                status = resp.statusCode();
                if (status / 100 != 2) {
                    error = "the receiver answered " + status;
                }
            } catch (java.io.IOException e) {
                error = "could not deliver: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int n = record(k, status, error);
        if (error == null) {
            redis.hset(k, Map.of("state", "delivered", "delivered_ms", Long.toString(clock.millis())));
            redis.zrem(DUE, member);
            log.info("webhook {} delivered to {} (attempt {})", member, url, n);
        } else if (n >= cfg.webhookMaxAttempts()) {
            redis.hset(k, "state", "failed");
            redis.zrem(DUE, member);
            log.warn("webhook {} given up after {} attempts: {}", member, n, error);
        } else {
            long wait = cfg.webhookBackoffMs() << Math.min(20, n - 1);
            redis.zadd(DUE, clock.millis() + wait, member);
            log.info("webhook {} attempt {} failed ({}); next in {} ms", member, n, error, wait);
        }
    }

    /** The event of final work, an empty map while it is not final, null when it is unknown. */
    private Map<String, Object> payload(String kind, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (kind.equals("job")) {
            Optional<JobRecord> o = jobs.get(id);
            if (o.isEmpty()) {
                return null;
            }
            JobRecord j = o.get();
            if (!j.status().isFinal()) {
                return m;
            }
            m.put("type", "job." + j.status().wire());
            m.put("id", id);
            m.put("status", j.status().wire());
            m.put("segments", j.segments());
            if (j.status() == JobStatus.SUCCEEDED && !j.audioKey().isEmpty()) {
                m.put("audio_url", bucket.presignGet(j.audioKey(), presignTtl));
                m.put("audio_seconds", j.sampleRate() == 0 ? null : j.audioSamples() / (double) j.sampleRate());
            }
            if (!j.error().isEmpty()) {
                m.put("error", j.error());
            }
            m.put("created_at", Instant.ofEpochMilli(j.createdMs()).toString());
            m.put("finished_at", j.finishedMs() == 0 ? null : Instant.ofEpochMilli(j.finishedMs()).toString());
        } else {
            Optional<BookStore.Book> o = books.get(id);
            if (o.isEmpty()) {
                return null;
            }
            BookStore.Book b = o.get();
            if (!b.status().isFinal()) {
                return m;
            }
            m.put("type", "book." + b.status().wire());
            m.put("id", id);
            m.put("status", b.status().wire());
            m.put("chapters_total", b.chapterJobs().size());
            if (!b.manifestKey().isEmpty()) {
                m.put("manifest_url", bucket.presignGet(b.manifestKey(), presignTtl));
            }
            if (!b.error().isEmpty()) {
                m.put("error", b.error());
            }
            m.put("finished_at", b.finishedMs() == 0 ? null : Instant.ofEpochMilli(b.finishedMs()).toString());
        }
        return m;
    }

    /** Appends an attempt; returns the attempt count. */
    private int record(String k, Integer status, String error) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("at", Instant.ofEpochMilli(clock.millis()).toString());
        a.put("status", status);
        a.put("error", error);
        try {
            redis.rpush(k + ":attempts", Json.MAPPER.writeValueAsString(a));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        redis.expire(k + ":attempts", ttlSeconds);
        return (int) redis.hincrBy(k, "attempts", 1);
    }

    static String key(String kind, String id) {
        return "tts:webhook:" + kind + ":" + id;
    }

    private static <T> T call(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            throw new RetriableException("job-state Redis unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
        if (senders != null) {
            senders.shutdownNow();
        }
        redis.close();
    }
}
