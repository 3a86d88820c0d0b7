package dev.ttscluster.gateway;

import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.api.HttpApi;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.books.EpubBook;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.jobs.SegmentPublisher;
import dev.ttscluster.gateway.jobs.TopicProvisioner;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

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
    private Javalin app;

    private Gateway(GatewayConfig cfg) {
        this.cfg = cfg;
        this.store = JobStore.connect(cfg.infra().redisUrl(), Clock.systemUTC(), cfg.jobTtlSeconds());
        this.bucket = new AudioBucket(cfg.infra());
        this.publisher = SegmentPublisher.connect(cfg.infra().kafkaBootstrap(), cfg.publishTimeoutMs());
        this.readiness = new ReadinessProbe(store, bucket, cfg.infra().kafkaBootstrap(), Clock.systemUTC());
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
            BookService books = new BookService(g.store, g.publisher, g.bucket, new Segmenter(cfg.bookSegmentMaxChars()),
                    new EpubBook(EpubBook.Limits.ofDefaults(4L * cfg.maxBookBytes())), cfg.maxBookChars(), Clock.systemUTC());
            g.app = new HttpApi(cfg, jobs, books, g.bucket, g.readiness::ready).create().start(cfg.bindHost(), cfg.port());
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        log.info("gateway listening on http://{}:{}", cfg.bindHost(), g.port());
        return g;
    }

    /** The bound HTTP port. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        publisher.close();
        readiness.close();
        store.close();
    }
}
