package dev.ttscluster.worker;

import dev.ttscluster.common.config.ConfigException;

/** Runs one worker from environment configuration until SIGTERM/SIGINT. */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
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
