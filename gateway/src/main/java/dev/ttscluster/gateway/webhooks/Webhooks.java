package dev.ttscluster.gateway.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.events.EventsConfig;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;

/**
 * Webhooks: a job's or a book's {@code callback_url} is POSTed a signed JSON event once it reaches a final
 * state ({@code job.succeeded}, {@code job.failed}, {@code job.cancelled}, {@code book.*}). This class is what the
 * routes use; the work is split in {@link CallbackUrls} (which URLs are called), {@link WebhookStore} (the records
 * in Redis), {@link WebhookScheduler} (when each is attempted), {@link WebhookDelivery} (the signed POST) and
 * {@link WebhookSigner} (the signatures).
 *
 * <p><b>Who delivers, and why.</b> The gateway that accepts the work records the callback in the job-state
 * Redis and puts it in a due set. Every gateway with webhooks enabled scans that set; a due entry is claimed
 * with a per-entry lock, so exactly one gateway works on it at a time. The claimant reads the target's status:
 * not final yet, the entry is due again shortly; final, it delivers. This watches the state instead of hooking
 * every place a job ends (the worker's assembly, dead letters, the gateway's cancel, books): nothing in the
 * workers changes, a restart of any gateway or worker loses no delivery (everything is in Redis, the lock
 * expires), and the retries (exponential backoff from {@code TTS_GATEWAY_WEBHOOK_BACKOFF_MS}, up to
 * {@code TTS_GATEWAY_WEBHOOK_MAX_ATTEMPTS}) survive restarts too. Delivery is at-least-once: a receiver dedupes
 * on the {@code Tts-Webhook-Id} header.
 *
 * <p>Every attempt is recorded ({@code at}, the HTTP {@code status} or null, the {@code error}) and shown in the
 * job or book view under {@code webhook}. Thread-safe.
 */
public final class Webhooks implements AutoCloseable {
    private final EventsConfig cfg;
    private final WebhookStore store;
    private final CallbackUrls urls;
    private final Clock clock;
    private final WebhookScheduler scheduler;
    private final ExecutorService senders;
    private ScheduledExecutorService scanner;
    private WebhookSigner signer;

    /**
     * @param redis client of the job-state Redis; closed by {@link #close()}
     * @param ttlSeconds how long a callback's record is kept
     * @param clock the time of registrations, attempts and backoff
     */
    public Webhooks(
            EventsConfig cfg,
            UnifiedJedis redis,
            JobStore jobs,
            AudioBucket bucket,
            Duration presignTtl,
            long ttlSeconds,
            Clock clock) {
        this.cfg = cfg;
        this.store = new WebhookStore(redis, ttlSeconds);
        this.urls = new CallbackUrls(cfg.webhookAllowHosts());
        this.clock = clock;
        this.senders = cfg.webhooksEnabled() ? Executors.newFixedThreadPool(4, daemon("webhook-send")) : null;
        WebhookDelivery delivery = new WebhookDelivery(urls, this::signer, Duration.ofMillis(cfg.webhookTimeoutMs()));
        this.scheduler = new WebhookScheduler(
                store,
                new WebhookEvents(jobs, bucket, presignTtl),
                delivery,
                clock,
                senders == null ? Runnable::run : senders,
                cfg.webhookMaxAttempts(),
                cfg.webhookBackoffMs(),
                cfg.webhookTimeoutMs());
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
                secret = store.masterSecret();
            }
            signer = new WebhookSigner(secret.getBytes(StandardCharsets.UTF_8));
        }
        return signer;
    }

    /** Starts delivering (only when webhooks are enabled: a gateway that refuses them delivers none). */
    public synchronized Webhooks start() {
        if (cfg.webhooksEnabled() && scanner == null) {
            scanner = Executors.newSingleThreadScheduledExecutor(daemon("webhook-scan"));
            scanner.scheduleWithFixedDelay(scheduler::scan, 200, 200, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private static ThreadFactory daemon(String name) {
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

    /**
     * A {@code callback_url} query parameter, checked, or null when absent.
     *
     * @throws ApiException 400 when it is refused
     */
    public URI callbackOf(String url) {
        return url == null ? null : urls.check(url);
    }

    /**
     * Records that {@code kind} ("job" or "book") {@code id} of {@code tenant} is to be announced to {@code url}.
     *
     * @throws RetriableException when Redis is unavailable
     */
    public void register(String kind, String id, String tenant, URI url) {
        long now = clock.millis();
        store.register(kind, id, tenant, url, now, WebhookScheduler.firstDue(now));
    }

    /**
     * The {@code webhook} field of a view: url, state, delivered, attempts; empty when it has no callback.
     *
     * @throws RetriableException when Redis is unavailable
     */
    public Optional<Map<String, Object>> view(String kind, String id) {
        WebhookStore.Entry e = store.entry(kind, id);
        Map<String, String> h = e.fields();
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", h.get("url"));
        m.put("state", h.getOrDefault("state", "pending"));
        m.put("delivered", "delivered".equals(h.get("state")));
        List<Object> as = new ArrayList<>();
        for (String a : e.attempts()) {
            try {
                as.add(Json.MAPPER.readTree(a));
            } catch (IOException ignored) {
                // a damaged entry is left out
            }
        }
        m.put("attempts", as);
        return Optional.of(m);
    }

    /**
     * {@code GET /v1/webhooks/secret}: the caller's signing secret and how signatures are made.
     *
     * @throws RetriableException when the secret is kept in Redis and Redis is unavailable
     */
    public Map<String, Object> secretView(String tenant) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("secret", signer().secretOf(tenant));
        m.put("header", WebhookSigner.HEADER);
        m.put(
                "scheme",
                "t=<unix seconds>,v1=<hex HMAC-SHA256, key: the secret as UTF-8, message: t + \".\" + raw body>");
        m.put("enabled", cfg.webhooksEnabled());
        return m;
    }

    @Override
    public synchronized void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
        if (senders != null) {
            senders.shutdownNow();
        }
        store.close();
    }
}
