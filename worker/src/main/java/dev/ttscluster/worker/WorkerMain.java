package dev.ttscluster.worker;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.worker.config.WorkerConfig;

/** Runs one worker from environment configuration until SIGTERM/SIGINT. */
public final class WorkerMain {
    private WorkerMain() {}

    /** The worker's log4j2 configuration: common's, with each line's job and trace ids. */
    static final String LOG_CONFIG = "log4j2-worker.xml";

    public static void main(String[] args) throws InterruptedException {
        // before any logger exists; an operator's own configuration (property or environment) wins
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null
                && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.setProperty("ai.djl.offline", "true");
        WorkerConfig cfg;
        try {
            cfg = WorkerConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("worker: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Worker worker = Worker.start(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        System.out.println("worker " + cfg.workerId() + ": ready");
        worker.await();
    }
}
