package dev.ttscluster.gateway.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ttscluster.common.contract.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when each callback is attempted. A {@link #scan()} claims the due entries (each under its own lock,
 * so exactly one gateway works on an entry at a time, and one that dies holding it loses only the lock's
 * lifetime) and hands each to the executor. Working an entry: work not final yet is due again in
 * {@value #WATCH_MS} ms; work still unknown {@value #GONE_GRACE_MS} ms after registration (its submission failed)
 * is given up; final work is delivered, and a failed attempt is due again after the backoff (the first wait,
 * doubled after each further failure) until the most attempts were made. All times come from the injected clock.
 * Thread-safe.
 */
final class WebhookScheduler {
    private static final Logger log = LoggerFactory.getLogger(WebhookScheduler.class);
    /** Re-check interval of work that is not final yet. */
    static final long WATCH_MS = 300;
    /** Work still unknown this long after its callback was registered (the submission failed) is given up. */
    static final long GONE_GRACE_MS = 60_000;
    /** Entries claimed by one scan at most. */
    private static final int SCAN_LIMIT = 32;

    /** The event of {@code kind} {@code id}: null when the work is unknown, empty while it is not final. */
    interface Events {
        Map<String, Object> of(String kind, String id);
    }

    private final WebhookStore store;
    private final Events events;
    private final WebhookDelivery delivery;
    private final Clock clock;
    private final Executor senders;
    private final int maxAttempts;
    private final long backoffMs;
    private final long lockMs;
    private final String instance = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));

    /**
     * @param senders runs the claimed entries (a pool in the gateway; the calling thread in tests)
     * @param maxAttempts attempts before an entry is given up
     * @param backoffMs wait after the first failed attempt; doubled after each further one
     * @param attemptTimeoutMs timeout of one attempt (a claim outlives two of them)
     */
    WebhookScheduler(
            WebhookStore store,
            Events events,
            WebhookDelivery delivery,
            Clock clock,
            Executor senders,
            int maxAttempts,
            long backoffMs,
            long attemptTimeoutMs) {
        this.store = store;
        this.events = events;
        this.delivery = delivery;
        this.clock = clock;
        this.senders = senders;
        this.maxAttempts = maxAttempts;
        this.backoffMs = backoffMs;
        this.lockMs = 2L * attemptTimeoutMs + 10_000;
    }

    /** When an entry registered at {@code nowMs} is first looked at. */
    static long firstDue(long nowMs) {
        return nowMs + WATCH_MS;
    }

    /** The wait after the {@code attempts}-th failed attempt: the backoff, doubled after each further failure. */
    long backoffAfter(int attempts) {
        return backoffMs << Math.min(20, attempts - 1);
    }

    /** One scan: claims due entries and hands them to the senders. Never throws (a failed scan is logged). */
    void scan() {
        try {
            List<String> due = store.due(clock.millis(), SCAN_LIMIT);
            for (String member : due) {
                if (!store.lock(member, instance, lockMs)) {
                    continue;
                }
                senders.execute(() -> {
                    try {
                        process(member);
                    } catch (RuntimeException e) {
                        log.warn("webhook {}: {}", member, e.getMessage());
                    } finally {
                        store.unlock(member, instance);
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
        Map<String, String> h = store.fields(member);
        long now = clock.millis();
        if (h.isEmpty() || !"pending".equals(h.get("state"))) {
            store.unschedule(member);
            return;
        }
        Map<String, Object> event = events.of(kind, id);
        if (event == null) {
            if (now - Long.parseLong(h.getOrDefault("created_ms", "0")) > GONE_GRACE_MS) {
                store.recordAttempt(member, now, null, kind + " is gone");
                store.failed(member);
            } else {
                store.schedule(member, now + WATCH_MS);
            }
            return;
        }
        if (event.isEmpty()) { // not final yet
            store.schedule(member, now + WATCH_MS);
            return;
        }
        String url = h.get("url");
        WebhookDelivery.Attempt attempt;
        try {
            attempt = delivery.post(url, member, h.get("tenant"), now / 1000, Json.MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            attempt = new WebhookDelivery.Attempt(null, "could not deliver: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int n = store.recordAttempt(member, clock.millis(), attempt.status(), attempt.error());
        if (attempt.delivered()) {
            store.delivered(member, clock.millis());
            log.info("webhook {} delivered to {} (attempt {})", member, url, n);
        } else if (n >= maxAttempts) {
            store.failed(member);
            log.warn("webhook {} given up after {} attempts: {}", member, n, attempt.error());
        } else {
            long wait = backoffAfter(n);
            store.schedule(member, clock.millis() + wait);
            log.info("webhook {} attempt {} failed ({}); next in {} ms", member, n, attempt.error(), wait);
        }
    }
}
