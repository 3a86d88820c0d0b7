package dev.ttscluster.gateway.health;

import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Answers whether the gateway can accept work: Redis, Kafka and S3 all answer. The result is kept
 * for two seconds so probes cannot hammer the servers. Thread-safe.
 */
public final class ReadinessProbe implements AutoCloseable {
    private static final long CACHE_MS = 2000;
    private final JobStore store;
    private final AudioBucket bucket;
    private final Admin admin;
    private final Clock clock;
    private long checkedAt;
    private boolean checked;
    private boolean last;

    public ReadinessProbe(JobStore store, AudioBucket bucket, String bootstrap, Clock clock) {
        this.store = store;
        this.bucket = bucket;
        this.clock = clock;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        this.admin = Admin.create(p);
    }

    public synchronized boolean ready() {
        long now = clock.millis();
        if (checked && now - checkedAt < CACHE_MS) {
            return last;
        }
        last = store.ping() && kafka() && s3();
        checkedAt = now;
        checked = true;
        return last;
    }

    private boolean kafka() {
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean s3() {
        try {
            bucket.get("readyz-probe");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
