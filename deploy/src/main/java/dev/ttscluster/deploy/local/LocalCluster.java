package dev.ttscluster.deploy.local;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.gateway.GatewayMain;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.Quota;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.WorkerMain;
import dev.ttscluster.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * A whole cluster on one machine: the real servers ({@link LocalServers}), a gateway and N workers,
 * each service its own JVM process. Workers can be killed, stopped and added while it runs.
 * Not thread-safe: one controlling thread.
 */
public final class LocalCluster implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 120_000;

    private final Path dataDir;
    private final BackingServers servers;
    private final Map<String, String> extraEnv;
    private final int gatewayPort;
    private final Path modelDir;
    private ChildJvm gateway;
    private final List<ChildJvm> workers = new ArrayList<>();
    private final Map<String, Integer> metricsPorts = new HashMap<>();
    private final Map<String, Integer> extraGatewayPorts = new HashMap<>();
    private int workerSeq;

    private LocalCluster(
            Path dataDir, BackingServers servers, int gatewayPort, Path modelDir, Map<String, String> extraEnv) {
        this.dataDir = dataDir;
        this.servers = servers;
        this.gatewayPort = gatewayPort;
        this.modelDir = modelDir;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /**
     * Starts servers, gateway and {@code workers} workers.
     *
     * @param dataDir where servers keep data and services write logs
     * @param gatewayPort gateway HTTP port, 0 for a free one
     * @param workers how many worker processes
     * @param modelDir model bundle the workers load
     * @param extraEnv further configuration for every service (e.g. batch policy)
     */
    public static LocalCluster start(
            Path dataDir, int gatewayPort, int workers, Path modelDir, Map<String, String> extraEnv) {
        return start(dataDir, LocalServers.start(dataDir), gatewayPort, workers, modelDir, extraEnv);
    }

    /**
     * Starts gateway and workers against servers that already run; the cluster closes them with itself.
     */
    public static LocalCluster start(
            Path dataDir,
            BackingServers servers,
            int gatewayPort,
            int workers,
            Path modelDir,
            Map<String, String> extraEnv) {
        LocalCluster c =
                new LocalCluster(dataDir, servers, gatewayPort == 0 ? Ports.free() : gatewayPort, modelDir, extraEnv);
        try {
            c.startGateway();
            List<Thread> starting = new ArrayList<>();
            List<RuntimeException> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < workers; i++) {
                Thread t = new Thread(() -> {
                    try {
                        c.addWorker();
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                });
                t.start();
                starting.add(t);
            }
            for (Thread t : starting) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IllegalStateException("interrupted while starting", e);
        }
        return c;
    }

    private Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>(servers.env());
        env.put(GatewayConfig.PORT.name(), Integer.toString(gatewayPort));
        env.put(WorkerConfig.MODEL_DIR.name(), modelDir.toAbsolutePath().toString());
        env.putAll(extraEnv);
        return env;
    }

    /** Starts (or restarts) the gateway process. */
    public synchronized void startGateway() {
        gateway = ChildJvm.start(
                "gateway",
                GatewayMain.class.getName(),
                serviceEnv(),
                dataDir.resolve("logs/gateway.log"),
                l -> l.startsWith("gateway: http"),
                START_TIMEOUT_MS);
    }

    /** Starts one more worker process and waits until it polls. */
    public ChildJvm addWorker() {
        return addWorker(Map.of());
    }

    /**
     * Starts one more worker process with further configuration of its own (over the cluster's), e.g.
     * {@link ChildJvm#JVM_OPTS}, and waits until it polls.
     *
     * @throws IllegalStateException when the worker exits or does not get ready in time
     */
    public ChildJvm addWorker(Map<String, String> workerEnv) {
        String id;
        synchronized (this) {
            id = "worker-" + (++workerSeq);
        }
        Map<String, String> env = serviceEnv();
        env.putAll(workerEnv);
        env.put(WorkerConfig.WORKER_ID.name(), id);
        int metricsPort = Ports.free();
        env.put(WorkerConfig.METRICS_PORT.name(), Integer.toString(metricsPort));
        env.putIfAbsent("TTS_CHILD_GC", "g1");
        env.putIfAbsent("TTS_CHILD_XMX", "1g"); // a batch's waveforms are large arrays: room for them
        ChildJvm w = ChildJvm.start(
                id,
                WorkerMain.class.getName(),
                env,
                dataDir.resolve("logs/" + id + ".log"),
                l -> l.contains(id + ": ready"),
                START_TIMEOUT_MS);
        synchronized (this) {
            workers.add(w);
            metricsPorts.put(w.name(), metricsPort);
        }
        return w;
    }

    /** The worker processes still running. */
    public synchronized List<ChildJvm> workers() {
        workers.removeIf(w -> !w.isAlive());
        return List.copyOf(workers);
    }

    /** The Prometheus endpoint of a worker started by this cluster. */
    public synchronized String metricsUrl(ChildJvm worker) {
        return "http://127.0.0.1:" + metricsPorts.get(worker.name()) + "/metrics";
    }

    /**
     * Makes an API key for {@code tenant} in the cluster's job-state Redis, with quotas large enough for
     * tests and benchmarks (the gateway's defaults are for real callers), and returns its secret.
     */
    public String createApiKey(String tenant) {
        return createApiKey(tenant, new Quota(100_000, 100_000, 1_000_000));
    }

    /** Makes an API key for {@code tenant} with its own quota (0 fields: the gateway's defaults). */
    public String createApiKey(String tenant, Quota quota) {
        try (UnifiedJedis redis = JobStore.client(servers.env().get(InfraConfig.REDIS_URL.name()), 5000)) {
            return new ApiKeyStore(redis, Clock.systemUTC())
                    .create(tenant, "local", quota)
                    .secret();
        }
    }

    /**
     * Starts another gateway process on a free port against the same servers, with further configuration
     * (e.g. a short presign TTL); the caller stops it.
     *
     * @return the process; its URL is {@code http://127.0.0.1:} plus the {@code TTS_GATEWAY_PORT} chosen,
     *     given by {@link #urlOf(ChildJvm)}
     */
    public ChildJvm startExtraGateway(String name, Map<String, String> env) {
        Map<String, String> e = serviceEnv();
        int port = Ports.free();
        e.put(GatewayConfig.PORT.name(), Integer.toString(port));
        e.put(GatewayConfig.CREATE_TOPICS.name(), "false");
        e.putAll(env);
        ChildJvm g = ChildJvm.start(
                name,
                GatewayMain.class.getName(),
                e,
                dataDir.resolve("logs/" + name + ".log"),
                l -> l.startsWith("gateway: http"),
                START_TIMEOUT_MS);
        synchronized (this) {
            extraGatewayPorts.put(g.name(), port);
        }
        return g;
    }

    /** The URL of a gateway started by {@link #startExtraGateway}. */
    public synchronized String urlOf(ChildJvm extraGateway) {
        return "http://127.0.0.1:" + extraGatewayPorts.get(extraGateway.name());
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public ChildJvm gateway() {
        return gateway;
    }

    public BackingServers servers() {
        return servers;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        List<ChildJvm> all;
        synchronized (this) {
            all = new ArrayList<>(workers);
            workers.clear();
        }
        all.parallelStream().forEach(w -> w.stop(15_000));
        if (gateway != null) {
            gateway.stop(10_000);
        }
        servers.close();
    }
}
