package dev.ttscluster.deploy.e2e;

import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.worker.WorkerConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * One local cluster (real Kafka, Redis, S3 server, gateway and two worker JVMs) shared by every
 * end-to-end test in this JVM: started on first use, stopped when the JVM exits.
 */
final class SharedCluster {
    static final int WORKERS = 2;
    private static LocalCluster cluster;

    private SharedCluster() {
    }

    static synchronized LocalCluster get() {
        if (cluster == null) {
            Path data = Path.of("target", "e2e-cluster-" + System.currentTimeMillis()).toAbsolutePath();
            cluster = LocalCluster.start(data, 0, WORKERS, repoRoot().resolve("models/placeholder"),
                    Map.of(WorkerConfig.SESSION_TIMEOUT_MS.name(), "6000"));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "e2e-cluster-stop"));
        }
        return cluster;
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
