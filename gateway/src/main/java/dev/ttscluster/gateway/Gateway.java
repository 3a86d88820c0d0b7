package dev.ttscluster.gateway;

import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.admission.LagMonitor;
import dev.ttscluster.gateway.api.HttpApi;
import dev.ttscluster.gateway.auth.Authenticator;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.books.EpubBook;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.events.JobEventStreams;
import dev.ttscluster.gateway.health.ReadinessProbe;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.jobs.SegmentPublisher;
import dev.ttscluster.gateway.jobs.TopicProvisioner;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.retention.RetentionSweeper;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.IdempotencyStore;
import dev.ttscluster.gateway.tenants.QuotaStore;
import dev.ttscluster.gateway.webhooks.Webhooks;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Wires the gateway: job store, bucket, publisher, service and HTTP server. Start once, close once.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig cfg;
    private final JobStore store;
    private final AudioBucket bucket;
    private final SegmentPublisher publisher;
    private final ReadinessProbe readiness;
    private final UnifiedJedis tenantRedis;
    private final LagMonitor lag;
    private final GatewayMetrics metrics;
    private final java.util.concurrent.ScheduledExecutorService statsTimer;
    private RetentionSweeper sweeper;
    private JobEventStreams events;
    private Webhooks webhooks;
    private volatile boolean stopping;
    private Javalin app;

    private Gateway(GatewayConfig cfg) {
        this.cfg = cfg;
        this.store = JobStore.connect(cfg.infra().redisUrl(), Clock.systemUTC(), cfg.jobTtlSeconds());
        this.bucket = new AudioBucket(cfg.infra());
        this.publisher = SegmentPublisher.connect(cfg.infra().kafkaBootstrap(), cfg.publishTimeoutMs());
        this.readiness = new ReadinessProbe(store, bucket, cfg.infra().kafkaBootstrap(), Clock.systemUTC());
        this.tenantRedis = JobStore.client(cfg.infra().redisUrl(), 2000);
        this.lag = new LagMonitor(
                cfg.infra().kafkaBootstrap(),
                List.of(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK),
                cfg.workerGroup(),
                1000);
        this.metrics = new GatewayMetrics();
        metrics.lane("interactive", lag.of(Topics.SEGMENTS_INTERACTIVE));
        metrics.lane("bulk", lag.of(Topics.SEGMENTS_BULK));
        this.statsTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-stats");
            t.setDaemon(true);
            return t;
        });
        statsTimer.scheduleWithFixedDelay(() -> metrics.refreshJobCounts(store::jobCounts), 0, 2, TimeUnit.SECONDS);
    }

    /**
     * Connects to the servers, creates topics and bucket if allowed, and starts serving HTTP.
     *
     * @throws dev.ttscluster.common.error.RetriableException when a server cannot be reached at start
     */
    public static Gateway start(GatewayConfig cfg) {
        Gateway g = new Gateway(cfg);
        try {
            if (cfg.createTopics()) {
                TopicProvisioner.ensureTopics(cfg.infra().kafkaBootstrap(), cfg.partitions(), (short) 1);
            }
            g.bucket.ensureBucket();
            Segmenter segmenter = new Segmenter(cfg.segmentMaxChars());
            JobService jobs = new JobService(g.store, g.publisher, segmenter, Clock.systemUTC());
            BookService books = new BookService(
                    g.store,
                    g.publisher,
                    g.bucket,
                    new Segmenter(cfg.bookSegmentMaxChars()),
                    new EpubBook(EpubBook.Limits.ofDefaults(4L * cfg.maxBookBytes())),
                    cfg.maxBookChars(),
                    Clock.systemUTC());
            Clock clock = Clock.systemUTC();
            Authenticator auth =
                    new Authenticator(new ApiKeyStore(g.tenantRedis, clock), cfg.defaultQuota(), clock, 5000);
            Admission admission = new Admission(
                    new QuotaStore(g.tenantRedis, cfg.jobTtlSeconds()),
                    g.lag.of(Topics.SEGMENTS_INTERACTIVE),
                    cfg.admitMaxLag(),
                    2);
            g.events =
                    new JobEventStreams(g.store, g.bucket, Duration.ofSeconds(cfg.presignTtlSeconds()), cfg.events());
            g.webhooks = new Webhooks(
                            cfg.events(),
                            JobStore.client(cfg.infra().redisUrl(), 2000),
                            g.store,
                            g.bucket,
                            Duration.ofSeconds(cfg.presignTtlSeconds()),
                            cfg.jobTtlSeconds(),
                            Clock.systemUTC())
                    .start();
            g.app = new HttpApi(
                            cfg,
                            jobs,
                            books,
                            g.bucket,
                            () -> !g.stopping && g.readiness.ready(),
                            auth,
                            admission,
                            new IdempotencyStore(g.tenantRedis, cfg.idempotencyTtlSeconds()),
                            g.metrics)
                    .events(g.events)
                    .webhooks(g.webhooks)
                    .create()
                    .start();
            if (cfg.audioRetentionSeconds() > 0) {
                g.sweeper = new RetentionSweeper(
                                g.bucket,
                                Duration.ofSeconds(cfg.audioRetentionSeconds()),
                                clock,
                                () -> sweepLock(g.tenantRedis, cfg.retentionSweepSeconds()))
                        .start(Duration.ofSeconds(cfg.retentionSweepSeconds()));
            }
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        log.info("gateway listening on http://{}:{}", cfg.bindHost(), g.port());
        return g;
    }

    /** One gateway per interval sweeps: whoever sets the lock first. A Redis failure skips the sweep. */
    private static boolean sweepLock(UnifiedJedis redis, int seconds) {
        try {
            return "OK"
                    .equals(redis.set(
                            "tts:retention:lock",
                            "1",
                            SetParams.setParams().nx().ex(Math.max(1, seconds - 1))));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The bound HTTP port. */
    public int port() {
        return app.port();
    }

    /**
     * Stops gracefully: /readyz answers 503 at once (load balancers stop sending), new connections are
     * refused, requests in flight finish (up to the server's stop timeout), then the clients close.
     */
    @Override
    public void close() {
        stopping = true;
        if (sweeper != null) {
            sweeper.close();
        }
        if (events != null) {
            events.close(); // open event streams end now: they would hold the drain for its whole timeout
        }
        if (app != null) {
            app.stop(); // requests in flight still use the clients below, so they close after it
        }
        if (webhooks != null) {
            webhooks.close();
        }
        statsTimer.shutdownNow();
        lag.close();
        publisher.close();
        readiness.close();
        tenantRedis.close();
        store.close();
    }
}
