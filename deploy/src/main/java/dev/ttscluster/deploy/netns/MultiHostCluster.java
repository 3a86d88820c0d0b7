package dev.ttscluster.deploy.netns;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.gateway.GatewayMain;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.Quota;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.WorkerMain;
import dev.ttscluster.worker.config.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.core.ExecutableProvider;

/**
 * A whole cluster on several hosts: the Kafka broker, the job-state Redis, the cache Redis, the S3 server,
 * the gateway and each worker run as processes of their own, each on a host of its own (a network
 * namespace of a {@link HostNetwork}) and bound to that host's address, on the ports a real deployment
 * would use. Every service is pointed at the others by address only; nothing listens on any host's
 * loopback, so a service that assumed another shares its host would fail. Not thread-safe.
 */
public final class MultiHostCluster implements AutoCloseable {
    public static final String KAFKA = "kafka";
    public static final String REDIS = "redis";
    public static final String CACHE = "redis-cache";
    public static final String S3 = "s3";
    public static final String GATEWAY = "gateway";
    public static final int KAFKA_PORT = 9092;
    public static final int CONTROLLER_PORT = 9093;
    public static final int REDIS_PORT = 6379;
    public static final int S3_PORT = 9000;
    public static final int GATEWAY_PORT = 8080;
    public static final int METRICS_PORT = 9464;
    private static final long START_TIMEOUT_MS = 120_000;

    private final HostNetwork network;
    private final Path dataDir;
    private final String s3Secret = "tts-multihost-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    private final List<HostProcess> servers = Collections.synchronizedList(new ArrayList<>());
    private final List<HostProcess> workers = Collections.synchronizedList(new ArrayList<>());
    private HostProcess gateway;

    private MultiHostCluster(HostNetwork network, Path dataDir) {
        this.network = network;
        this.dataDir = dataDir;
    }

    /** The hosts of a cluster with {@code workers} workers: servers, gateway, {@code worker-1} ... */
    public static List<String> hosts(int workers) {
        List<String> h = new ArrayList<>(List.of(KAFKA, REDIS, CACHE, S3, GATEWAY));
        for (int i = 1; i <= workers; i++) {
            h.add(workerHost(i));
        }
        return h;
    }

    /** The host of worker {@code i} (1-based); also its worker id. */
    public static String workerHost(int i) {
        return "worker-" + i;
    }

    /**
     * Makes the hosts and starts every service on its own.
     *
     * @param dataDir where the servers keep data and every service writes its log ({@code logs/<host>.log})
     * @param workers how many workers
     * @param modelDir model bundle the workers load
     * @param extraEnv further configuration for the gateway and the workers
     * @throws HostNetwork.UnavailableException when this machine cannot make network namespaces
     * @throws RuntimeException when a service does not start (everything made is removed again)
     */
    public static MultiHostCluster start(Path dataDir, int workers, Path modelDir, Map<String, String> extraEnv)
            throws HostNetwork.UnavailableException {
        HostNetwork network = HostNetwork.create(hosts(workers));
        MultiHostCluster c = new MultiHostCluster(network, dataDir.toAbsolutePath());
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            all(
                    pool,
                    List.of(
                            () -> c.startRedis(REDIS, true),
                            () -> c.startRedis(CACHE, false),
                            c::startS3,
                            c::startKafka));
            c.gateway = c.startService(
                    GATEWAY,
                    GatewayMain.class.getName(),
                    c.gatewayEnv(extraEnv),
                    "512m",
                    false,
                    l -> l.startsWith("gateway: http"));
            List<Callable<Object>> ws = new ArrayList<>();
            for (int i = 1; i <= workers; i++) {
                String host = workerHost(i);
                ws.add(() -> c.workers.add(c.startService(
                        host,
                        WorkerMain.class.getName(),
                        c.workerEnv(host, modelDir, extraEnv),
                        "1g",
                        true,
                        l -> l.contains(host + ": ready"))));
            }
            all(pool, ws);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        } finally {
            pool.shutdown();
        }
        return c;
    }

    private static void all(ExecutorService pool, List<Callable<Object>> tasks) {
        List<Future<Object>> fs = new ArrayList<>();
        for (Callable<Object> t : tasks) {
            fs.add(pool.submit(t));
        }
        RuntimeException first = null;
        for (Future<Object> f : fs) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Path log(String host) {
        return dataDir.resolve("logs").resolve(host + ".log");
    }

    private Object startRedis(String host, boolean jobState) {
        List<String> cmd = new ArrayList<>(List.of(
                redisBinary(),
                "--bind",
                network.address(host),
                "--port",
                Integer.toString(REDIS_PORT),
                "--protected-mode",
                "no",
                "--dir",
                dataDir.resolve(host).toString(),
                "--save",
                ""));
        // the roles of RedisNode: job state never evicts and persists; the cache is bounded and evicts
        if (jobState) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction"));
        } else {
            cmd.addAll(List.of("--appendonly", "no", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"));
        }
        mkdirs(dataDir.resolve(host));
        servers.add(HostProcess.start(
                network,
                host,
                host,
                cmd,
                Map.of(),
                log(host),
                l -> l.contains("Ready to accept connections"),
                START_TIMEOUT_MS));
        return null;
    }

    /** The redis-server binary of the embedded-redis jar, unpacked once (both Redis servers start at once). */
    private static synchronized String redisBinary() {
        try {
            return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack redis-server from the embedded-redis jar", e);
        }
    }

    private Object startS3() {
        // s3proxy needs the servlet 6 API that the services' classpath leaves out: the whole classpath
        List<String> cmd = HostProcess.java(
                System.getProperty("java.class.path"),
                "384m",
                false,
                ServerMain.class.getName(),
                "s3",
                network.address(S3),
                Integer.toString(S3_PORT),
                dataDir.resolve(S3).toString());
        servers.add(HostProcess.start(
                network,
                S3,
                S3,
                cmd,
                Map.of("TTS_S3_ACCESS_KEY", "tts-multihost", "TTS_S3_SECRET_KEY", s3Secret),
                log(S3),
                l -> l.startsWith("server s3: ready"),
                START_TIMEOUT_MS));
        return null;
    }

    private Object startKafka() {
        List<String> cmd = HostProcess.java(
                ChildJvm.serviceClasspath(),
                "512m",
                false,
                ServerMain.class.getName(),
                "kafka",
                network.address(KAFKA),
                Integer.toString(KAFKA_PORT),
                Integer.toString(CONTROLLER_PORT),
                dataDir.resolve(KAFKA).toString());
        servers.add(HostProcess.start(
                network,
                KAFKA,
                KAFKA,
                cmd,
                Map.of(),
                log(KAFKA),
                l -> l.startsWith("server kafka: ready"),
                START_TIMEOUT_MS));
        return null;
    }

    private HostProcess startService(
            String host,
            String mainClass,
            Map<String, String> env,
            String xmx,
            boolean g1,
            java.util.function.Predicate<String> ready) {
        return HostProcess.start(
                network,
                host,
                host,
                HostProcess.java(ChildJvm.serviceClasspath(), xmx, g1, mainClass),
                env,
                log(host),
                ready,
                START_TIMEOUT_MS);
    }

    /** What every service is told about the servers: their addresses on their hosts, nothing else. */
    public Map<String, String> infraEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(InfraConfig.KAFKA_BOOTSTRAP.name(), network.address(KAFKA) + ":" + KAFKA_PORT);
        env.put(InfraConfig.REDIS_URL.name(), "redis://" + network.address(REDIS) + ":" + REDIS_PORT);
        env.put(WorkerConfig.CACHE_REDIS_URL.name(), "redis://" + network.address(CACHE) + ":" + REDIS_PORT);
        String s3 = "http://" + network.address(S3) + ":" + S3_PORT;
        env.put(InfraConfig.S3_ENDPOINT.name(), s3);
        // clients reach the S3 host at the same address the services do
        env.put(InfraConfig.S3_PUBLIC_ENDPOINT.name(), s3);
        env.put(InfraConfig.S3_ACCESS_KEY.name(), "tts-multihost");
        env.put(InfraConfig.S3_SECRET_KEY.name(), s3Secret);
        env.put(InfraConfig.S3_BUCKET.name(), "tts-audio");
        return env;
    }

    private Map<String, String> gatewayEnv(Map<String, String> extra) {
        Map<String, String> env = infraEnv();
        env.put(GatewayConfig.BIND_HOST.name(), network.address(GATEWAY));
        env.put(GatewayConfig.PORT.name(), Integer.toString(GATEWAY_PORT));
        env.putAll(extra);
        return env;
    }

    private Map<String, String> workerEnv(String host, Path modelDir, Map<String, String> extra) {
        Map<String, String> env = infraEnv();
        env.put(WorkerConfig.WORKER_ID.name(), host);
        env.put(WorkerConfig.MODEL_DIR.name(), modelDir.toAbsolutePath().toString());
        env.put(WorkerConfig.METRICS_HOST.name(), network.address(host));
        env.put(WorkerConfig.METRICS_PORT.name(), Integer.toString(METRICS_PORT));
        env.putAll(extra);
        return env;
    }

    private static void mkdirs(Path p) {
        try {
            java.nio.file.Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HostNetwork network() {
        return network;
    }

    public String gatewayUrl() {
        return "http://" + network.address(GATEWAY) + ":" + GATEWAY_PORT;
    }

    /** The Prometheus endpoint of worker {@code i} (1-based). */
    public String metricsUrl(int i) {
        return "http://" + network.address(workerHost(i)) + ":" + METRICS_PORT + "/metrics";
    }

    /** The worker processes, in start order of completion. */
    public List<HostProcess> workers() {
        return List.copyOf(workers);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Makes an API key for {@code tenant} in the job-state Redis (on its host), with quotas tests do not reach. */
    public String createApiKey(String tenant) {
        try (UnifiedJedis redis = JobStore.client(infraEnv().get(InfraConfig.REDIS_URL.name()), 5000)) {
            return new ApiKeyStore(redis, Clock.systemUTC())
                    .create(tenant, "multihost", new Quota(100_000, 100_000, 1_000_000))
                    .secret();
        }
    }

    /** Stops every service (workers, gateway, then the servers) and removes the hosts. */
    @Override
    public void close() {
        try {
            List<HostProcess> ws = workers();
            ws.parallelStream().forEach(w -> w.stop(15_000));
            if (gateway != null) {
                gateway.stop(10_000);
            }
            List<HostProcess> ss = new ArrayList<>(servers);
            ss.parallelStream().forEach(s -> s.stop(15_000));
        } finally {
            network.close();
        }
    }
}
