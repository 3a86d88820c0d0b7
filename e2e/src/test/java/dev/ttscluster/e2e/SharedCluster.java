package dev.ttscluster.e2e;

import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.BackingServers;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.deploy.local.LocalServers;
import dev.ttscluster.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one local cluster (real Kafka, Redis, S3 server, gateway and two worker JVMs) shared by every
 * end-to-end test class of a test JVM. {@link SharedClusterExtension} starts it before the first class that
 * runs {@link OnSharedCluster} and closes it when the test plan ends (it is a resource of JUnit's root store);
 * tests get it by parameter (a {@link LocalCluster} or {@link TtsClient} parameter) or through the static
 * accessors here, which fail when no extension started it. Thread-safe.
 */
final class SharedCluster implements ExtensionContext.Store.CloseableResource {
    static final int WORKERS = 2;
    /** The voice every end-to-end test runs: the product default. */
    static final String BUNDLE = "models/slt";

    static final String VOICE = "slt";
    private static volatile SharedCluster current;

    private final LocalCluster cluster;
    private final String key;
    private final TtsClient client;

    private SharedCluster(LocalCluster cluster) {
        this.cluster = cluster;
        this.key = cluster.createApiKey("default");
        this.client = TtsClient.of(cluster.gatewayUrl(), key);
    }

    /** Starts the cluster; called once per test JVM by {@link SharedClusterExtension}. */
    static synchronized SharedCluster start() {
        Path data =
                Path.of("target", "e2e-cluster-" + System.currentTimeMillis()).toAbsolutePath();
        LocalCluster c = LocalCluster.start(
                data,
                servers(data),
                0,
                WORKERS,
                repoRoot().resolve(BUNDLE),
                Map.of(
                        WorkerConfig.SESSION_TIMEOUT_MS.name(),
                        "6000",
                        // a segment holding this marker fails in the model: PoisonSegmentEndToEndTest
                        WorkerConfig.FAULT_INJECT_TEXT.name(),
                        PoisonSegmentEndToEndTest.MARKER));
        current = new SharedCluster(c);
        return current;
    }

    /**
     * The servers of the suite: started in this JVM (default), or as containers when the
     * {@code containers} profile sets {@code tts.e2e.servers=containers}.
     */
    private static BackingServers servers(Path data) {
        if (!"containers".equals(System.getProperty("tts.e2e.servers"))) {
            return LocalServers.start(data);
        }
        try {
            return (BackingServers) Class.forName("dev.ttscluster.e2e.ContainerServers")
                    .getMethod("start")
                    .invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the containers profile's sources are not on the classpath", e);
        }
    }

    private static SharedCluster current() {
        SharedCluster c = current;
        if (c == null) {
            throw new IllegalStateException("no shared cluster: annotate the test class with @OnSharedCluster");
        }
        return c;
    }

    static LocalCluster get() {
        return current().cluster;
    }

    /** An API key of tenant {@code default} on the shared cluster, with quotas no test reaches. */
    static String key() {
        return current().key;
    }

    /** The typed client of the shared gateway, calling with {@link #key()}. */
    static TtsClient client() {
        return current().client;
    }

    /** A client of the shared gateway calling with {@code key} (null: no Authorization header). */
    static TtsClient client(String key) {
        return TtsClient.of(get().gatewayUrl(), key);
    }

    /** A client of another gateway (an extra one a test started) calling with {@code key}. */
    static TtsClient client(String url, String key) {
        return TtsClient.of(url, key);
    }

    /** Brings the worker count back to {@link #WORKERS} after a test killed some. */
    static synchronized void restoreWorkers() {
        while (get().workers().size() < WORKERS) {
            get().addWorker();
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("tts.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    @Override
    public void close() {
        current = null;
        cluster.close();
    }
}
