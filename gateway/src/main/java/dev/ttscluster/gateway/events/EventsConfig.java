package dev.ttscluster.gateway.events;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.ConfigKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Configuration of job event streams ({@code GET /v1/jobs/{id}/events}) and webhooks, part of the gateway's
 * configuration (its keys are in {@code GatewayConfig.KEYS}). Immutable.
 *
 * @param sseMaxStreams event streams one gateway keeps open at once; more get 503
 * @param ssePollMs how often an open stream reads its job's state
 * @param sseHeartbeatSeconds a comment line is sent when a stream was silent this long (below the server's
 *     15 s idle timeout, which would otherwise close it)
 * @param webhookAllowHosts host names (exact, or {@code *.example.com} patterns) a {@code callback_url} may name;
 *     empty: webhooks are refused
 * @param webhookSecret the secret each tenant's signing secret is derived from (empty: one is generated and
 *     kept in the job-state Redis, shared by every gateway)
 * @param webhookMaxAttempts deliveries tried before one is given up
 * @param webhookBackoffMs wait after the first failed attempt; doubled after each further one
 * @param webhookTimeoutMs connect and response timeout of one attempt
 */
public record EventsConfig(
        int sseMaxStreams,
        int ssePollMs,
        int sseHeartbeatSeconds,
        List<String> webhookAllowHosts,
        String webhookSecret,
        int webhookMaxAttempts,
        long webhookBackoffMs,
        int webhookTimeoutMs) {

    public static final ConfigKey<Integer> SSE_MAX_STREAMS = ConfigKey.integer(
            "TTS_GATEWAY_SSE_MAX_STREAMS",
            256,
            1,
            100_000,
            "Job event streams (GET /v1/jobs/{id}/events) one gateway keeps open at once; more get 503");
    public static final ConfigKey<Integer> SSE_POLL_MS = ConfigKey.integer(
            "TTS_GATEWAY_SSE_POLL_MS",
            150,
            20,
            10_000,
            "How often an open event stream reads its job's state in Redis, in milliseconds");
    public static final ConfigKey<Integer> SSE_HEARTBEAT_SECONDS = ConfigKey.integer(
            "TTS_GATEWAY_SSE_HEARTBEAT_SECONDS",
            10,
            1,
            14,
            "A comment line keeps a silent event stream open after this many seconds (under the 15 s idle timeout)");
    public static final ConfigKey<String> WEBHOOK_ALLOW_HOSTS = ConfigKey.optionalString(
            "TTS_GATEWAY_WEBHOOK_ALLOW_HOSTS",
            "Comma-separated hosts a callback_url may name (exact names or *.domain patterns); empty refuses webhooks. "
                    + "Loopback and private addresses only when named exactly; link-local and metadata addresses never");
    public static final ConfigKey<String> WEBHOOK_SECRET = ConfigKey.optionalString(
            "TTS_GATEWAY_WEBHOOK_SECRET",
            "Secret each tenant's webhook signing secret is derived from (HMAC-SHA256 of the tenant); empty: one is "
                    + "generated once and kept in the job-state Redis");
    public static final ConfigKey<Integer> WEBHOOK_MAX_ATTEMPTS = ConfigKey.integer(
            "TTS_GATEWAY_WEBHOOK_MAX_ATTEMPTS",
            8,
            1,
            100,
            "Webhook deliveries tried (on a non-2xx answer or a connection error) before one is given up");
    public static final ConfigKey<Long> WEBHOOK_BACKOFF_MS = ConfigKey.longInt(
            "TTS_GATEWAY_WEBHOOK_BACKOFF_MS",
            1000L,
            10,
            3_600_000L,
            "Wait before the second webhook attempt, in milliseconds; doubled after each further failure");
    public static final ConfigKey<Integer> WEBHOOK_TIMEOUT_MS = ConfigKey.integer(
            "TTS_GATEWAY_WEBHOOK_TIMEOUT_MS",
            5000,
            100,
            60_000,
            "Connect and response timeout of one webhook attempt, in milliseconds");

    /** The keys, in the order of the documentation. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            SSE_MAX_STREAMS,
            SSE_POLL_MS,
            SSE_HEARTBEAT_SECONDS,
            WEBHOOK_ALLOW_HOSTS,
            WEBHOOK_SECRET,
            WEBHOOK_MAX_ATTEMPTS,
            WEBHOOK_BACKOFF_MS,
            WEBHOOK_TIMEOUT_MS);

    /**
     * Reads and validates the keys.
     *
     * @throws ConfigException naming the bad key
     */
    public static EventsConfig fromEnv(Map<String, String> env) {
        List<String> hosts = Arrays.stream(WEBHOOK_ALLOW_HOSTS.read(env).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT))
                .distinct()
                .toList();
        for (String h : hosts) {
            if (!h.matches("(\\*\\.)?[a-z0-9.:\\[\\]_-]{1,253}")
                    || h.equals("*")
                    || h.startsWith("*.") && h.length() < 4) {
                throw new ConfigException(WEBHOOK_ALLOW_HOSTS.name() + " has invalid host '" + h
                        + "'; use names such as hooks.example.com or *.example.com");
            }
        }
        return new EventsConfig(
                SSE_MAX_STREAMS.read(env),
                SSE_POLL_MS.read(env),
                SSE_HEARTBEAT_SECONDS.read(env),
                hosts,
                WEBHOOK_SECRET.read(env),
                WEBHOOK_MAX_ATTEMPTS.read(env),
                WEBHOOK_BACKOFF_MS.read(env),
                WEBHOOK_TIMEOUT_MS.read(env));
    }

    /** Whether any callback URL can be accepted. */
    public boolean webhooksEnabled() {
        return !webhookAllowHosts.isEmpty();
    }
}
