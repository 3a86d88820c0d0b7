package dev.ttscluster.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gateway's meters (Micrometer, served as Prometheus text on {@code GET /metrics}):
 * <ul>
 *   <li>{@code tts_gateway_request_seconds{method,route,status}}: every HTTP request, by its route pattern;</li>
 *   <li>{@code tts_gateway_submissions_total{kind}} and {@code tts_gateway_submitted_segments}: accepted jobs and
 *       books, and their segment counts;</li>
 *   <li>{@code tts_gateway_refusals_total{status,error}}: every 4xx and 5xx answer, by error code;</li>
 *   <li>{@code tts_gateway_backend_errors_total{backend}}: Redis, Kafka or S3 unavailable;</li>
 *   <li>{@code tts_gateway_lane_lag{lane}}: segments waiting for the workers on each lane (-1 unknown);</li>
 *   <li>{@code tts_jobs_total{state}}: the cluster's jobs by what happened to them (accepted, succeeded, failed,
 *       cancelled), counted in Redis by the transitions, so every gateway reports the same;</li>
 *   <li>JVM memory, GC, threads, CPU and uptime.</li>
 * </ul>
 * Thread-safe.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Long> jobCounts = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (String state : new String[] {"accepted", "succeeded", "failed", "cancelled"}) {
            FunctionCounter.builder("tts_jobs", jobCounts, m -> m.getOrDefault(state, 0L))
                    .description("Jobs of the whole cluster by what happened to them")
                    .tag("state", state)
                    .register(registry);
        }
        for (String backend : new String[] {"redis", "kafka", "s3", "other"}) {
            backendCounter(backend); // present from the start, so a rate over them is 0 rather than absent
        }
    }

    /** One HTTP request, answered with {@code status} after {@code elapsed}. */
    public void request(String method, String route, int status, Duration elapsed) {
        Timer.builder("tts_gateway_request")
                .description("HTTP requests by route and status")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)
                .record(elapsed);
    }

    /** An accepted job ({@code kind} job) or book, of {@code segments} segments. */
    public void submitted(String kind, int segments) {
        Counter.builder("tts_gateway_submissions")
                .description("Accepted jobs and books")
                .tag("kind", kind)
                .register(registry)
                .increment();
        DistributionSummary.builder("tts_gateway_submitted_segments")
                .description("Segments of each accepted job or book")
                .tag("kind", kind)
                .register(registry)
                .record(segments);
    }

    /** A refused request (4xx) or a failure (5xx), by its error code. */
    public void refused(int status, String error) {
        Counter.builder("tts_gateway_refusals")
                .description("Requests answered with an error")
                .tags("status", Integer.toString(status), "error", error)
                .register(registry)
                .increment();
    }

    /** A backing server ({@code redis}, {@code kafka}, {@code s3}) was unavailable for a request. */
    public void backendError(String backend) {
        backendCounter(backend).increment();
    }

    private Counter backendCounter(String backend) {
        return Counter.builder("tts_gateway_backend_errors")
                .description("Requests that found a backing server unavailable")
                .tag("backend", backend)
                .register(registry);
    }

    /** Registers the lag of a lane. */
    public void lane(String lane, LongSupplier lag) {
        Gauge.builder("tts_gateway_lane_lag", lag, l -> (double) l.getAsLong())
                .description("Segments waiting for the workers on the lane, -1 when unknown")
                .tag("lane", lane)
                .register(registry);
    }

    /** Refreshes the cluster-wide job counts (from Redis; a failure keeps the last ones). */
    public void refreshJobCounts(Supplier<Map<String, Long>> counts) {
        try {
            jobCounts.putAll(counts.get());
        } catch (RuntimeException e) {
            // Redis unavailable: the counters keep their last values
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
