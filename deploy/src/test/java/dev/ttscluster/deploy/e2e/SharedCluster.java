package dev.ttscluster.deploy.e2e;

import dev.ttscluster.deploy.local.BackingServers;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.deploy.local.LocalServers;
import dev.ttscluster.worker.WorkerConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * One local cluster (real Kafka, Redis, S3 server, gateway and two worker JVMs) shared by every
 * end-to-end test in this JVM: started on first use, stopped when the JVM exits.
 */
final class SharedCluster {
    static final int WORKERS = 2;
    /** The voice every end-to-end test runs: the product default. */
    static final String BUNDLE = "models/slt";
    static final String VOICE = "slt";
    private static LocalCluster cluster;
    private static String key;

    private SharedCluster() {
    }

    static synchronized LocalCluster get() {
        if (cluster == null) {
            Path data = Path.of("target", "e2e-cluster-" + System.currentTimeMillis()).toAbsolutePath();
            cluster = LocalCluster.start(data, servers(data), 0, WORKERS, repoRoot().resolve(BUNDLE),
                    Map.of(WorkerConfig.SESSION_TIMEOUT_MS.name(), "6000",
                            // a segment holding this marker fails in the model: PoisonSegmentEndToEndTest
                            WorkerConfig.FAULT_INJECT_TEXT.name(), PoisonSegmentEndToEndTest.MARKER));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "e2e-cluster-stop"));
        }
        return cluster;
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
            return (BackingServers) Class.forName("dev.ttscluster.deploy.e2e.ContainerServers").getMethod("start").invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the containers profile's sources are not on the classpath", e);
        }
    }

    /** An API key of tenant {@code default} on the shared cluster, with quotas no test reaches. */
    static synchronized String key() {
        if (key == null) {
            key = get().createApiKey("default");
        }
        return key;
    }

    /** Brings the worker count back to {@link #WORKERS} after a test killed some. */
    static synchronized void restoreWorkers() {
        while (get().workers().size() < WORKERS) {
            get().addWorker();
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("tts.repo.root", "..")).toAbsolutePath().normalize();
    }
}
