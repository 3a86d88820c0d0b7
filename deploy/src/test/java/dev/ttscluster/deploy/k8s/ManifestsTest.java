package dev.ttscluster.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ttscluster.common.config.ConfigKey;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.worker.config.WorkerConfig;
import dev.ttscluster.worker.metrics.MetricsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks deploy/k8s and deploy/compose without a cluster or Docker: renders both overlays with
 * {@code kubectl kustomize}, validates every rendered object against its schema (the Node validator in
 * deploy/k8s/validate: kubernetes-models, KEDA and Strimzi models), then checks the cross-references against
 * the code: env keys against GatewayConfig / WorkerConfig / InfraConfig (names, and values the real parsers
 * accept), ports and probe paths, topic names and partitions, the ScaledObject's group, topics and lag
 * thresholds, the two Redis roles, and every name one object uses to find another. Skipped with a message
 * where kubectl or node is missing.
 */
class ManifestsTest {
    static final Path ROOT =
            Path.of(System.getProperty("tts.repo.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path COMPOSE = ROOT.resolve("deploy/compose");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Environment variables the images read that are not the modules' configuration keys. */
    static final Set<String> NON_CONFIG_ENV = Set.of("DJL_OFFLINE", "JAVA_TOOL_OPTIONS");
    /** Keys a deployment must never set (docs/CONFIG.md: tests only). */
    static final Set<String> NEVER_SET = Set.of(WorkerConfig.FAULT_INJECT_TEXT.name());
    /** Per lane: the lag one worker is meant to carry, in full batches (worker.yaml says so). */
    static final Map<String, Integer> LAG_BATCHES = Map.of(Topics.SEGMENTS_INTERACTIVE, 2, Topics.SEGMENTS_BULK, 8);

    static final List<String> OVERLAYS = List.of("cpu", "gpu");

    static final Map<String, String> RENDERED = new HashMap<>();
    static final Map<String, List<JsonNode>> OBJECTS = new HashMap<>();

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the Kubernetes manifest checks are skipped");
        for (String overlay : OVERLAYS) {
            Result r = exec(
                    List.of(
                            "kubectl",
                            "kustomize",
                            K8S.resolve("overlays/" + overlay).toString()),
                    null,
                    120);
            assertThat(r.code)
                    .as("kubectl kustomize overlays/%s:\n%s", overlay, r.output)
                    .isZero();
            RENDERED.put(overlay, r.stdout);
            OBJECTS.put(overlay, parseAll(r.stdout));
        }
    }

    // ---------------------------------------------------------------- schemas

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyRenderedObjectMatchesItsSchema(String overlay) throws Exception {
        Result r = validate(RENDERED.get(overlay));
        assertThat(r.code)
                .as("validator on overlays/%s:\n%s", overlay, r.output)
                .isZero();
        assertThat(r.stdout).contains(OBJECTS.get(overlay).size() + " objects, 0 invalid");
    }

    @Test
    void theApiKeyJobMatchesItsSchema() throws Exception {
        Result r = validate(Files.readString(K8S.resolve("jobs/create-api-key.yaml")));
        assertThat(r.code)
                .as("validator on jobs/create-api-key.yaml:\n%s", r.output)
                .isZero();
    }

    @Test
    void theValidatorRefusesBadObjectsAndUnknownKinds() throws Exception {
        Result bad = validate("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n");
        assertThat(bad.code).as(bad.output).isNotZero();
        assertThat(bad.stdout).contains("replicas");
        Result unknown = validate("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n");
        assertThat(unknown.code).as(unknown.output).isNotZero();
        assertThat(unknown.stdout).contains("unknown kind");
    }

    // ---------------------------------------------------------------- config keys

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyEnvKeyIsAConfigKeyOfItsModuleAndTheRealParsersAcceptTheValues(String overlay) {
        Cluster c = cluster(overlay);
        Map<String, String> gw = c.env(c.gatewayContainer());
        Map<String, String> wk = c.env(c.workerContainer());
        assertKeysBelong("gateway (" + overlay + ")", gw, names(GatewayConfig.allKeys()));
        assertKeysBelong("worker (" + overlay + ")", wk, names(WorkerConfig.allKeys()));
        assertThat(gw).as("gateway env").containsEntry("DJL_OFFLINE", "true");
        assertThat(wk).as("worker env").containsEntry("DJL_OFFLINE", "true");
        GatewayConfig.fromEnv(gw);
        WorkerConfig.fromEnv(withLocalModelDir(wk, COMPOSE.resolve("worker.Dockerfile")));
        // the one-off key Job runs KeysMain, which reads InfraConfig only
        JsonNode job = parseAll(read(K8S.resolve("jobs/create-api-key.yaml"))).get(0);
        JsonNode keys = job.at("/spec/template/spec/containers/0");
        Map<String, String> jobEnv = c.env(keys);
        assertKeysBelong("api key job", jobEnv, names(InfraConfig.KEYS));
        assertThat(jobEnv.get(InfraConfig.REDIS_URL.name()))
                .as("the Job's job-state Redis")
                .isEqualTo(gw.get(InfraConfig.REDIS_URL.name()));
        assertThat(texts(keys.path("command"))).contains("dev.ttscluster.gateway.KeysMain");
        assertThat(job.at("/metadata/namespace").asText()).isEqualTo(c.namespace());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyDocumentedKeyIsConfigured(String overlay) {
        Cluster c = cluster(overlay);
        Set<String> gw = c.env(c.gatewayContainer()).keySet();
        Set<String> wk = c.env(c.workerContainer()).keySet();
        assertThat(gw)
                .as("gateway: every key of GatewayConfig.allKeys() set (deploy/k8s/base/config/*.env)")
                .containsAll(names(GatewayConfig.allKeys()));
        Set<String> worker = new TreeSet<>(names(WorkerConfig.allKeys()));
        worker.removeAll(NEVER_SET);
        assertThat(wk)
                .as("worker: every key of WorkerConfig.allKeys() set (deploy/k8s/base/config/*.env)")
                .containsAll(worker);
    }

    // ---------------------------------------------------------------- ports and probes

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void gatewayPortAndProbesMatchTheCode(String overlay) throws IOException {
        Cluster c = cluster(overlay);
        JsonNode gw = c.gatewayContainer();
        Map<String, String> env = c.env(gw);
        GatewayConfig cfg = GatewayConfig.fromEnv(env);
        assertThat(cfg.bindHost())
                .as("TTS_GATEWAY_BIND_HOST: probes and the Service reach the pod's address")
                .isEqualTo("0.0.0.0");
        assertThat(cfg.port()).isPositive();
        assertThat(containerPort(gw, "http"))
                .as("gateway containerPort 'http' = TTS_GATEWAY_PORT")
                .isEqualTo(cfg.port());
        assertThat(probe(gw, "livenessProbe")).isEqualTo("/healthz");
        assertThat(probe(gw, "readinessProbe")).isEqualTo("/readyz");
        assertThat(probe(gw, "startupProbe")).isEqualTo("/healthz");
        for (String p : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(probePort(gw, p)).as("gateway %s port", p).isEqualTo(cfg.port());
        }
        // openapi.json lists exactly the routes the gateway registers (the gateway's OpenApiTest checks that)
        JsonNode paths = YAML.readTree(
                        ROOT.resolve("gateway/src/main/resources/openapi.json").toFile())
                .path("paths");
        assertThat(paths.has("/healthz") && paths.has("/readyz"))
                .as("the gateway serves the probe paths")
                .isTrue();
        JsonNode svc = c.one("Service", "gateway");
        assertThat(c.targetPortOf(svc, c.podSpec("Deployment", "gateway"))).isEqualTo(cfg.port());
        JsonNode hpa = c.one("HorizontalPodAutoscaler", "gateway");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("gateway");
        assertThat(hpa.at("/spec/minReplicas").asInt())
                .isBetween(1, hpa.at("/spec/maxReplicas").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void workerMetricsPortAndProbesMatchTheCode(String overlay) throws Exception {
        Cluster c = cluster(overlay);
        JsonNode wk = c.workerContainer();
        Map<String, String> env = c.env(wk);
        assertThat(env.get(WorkerConfig.METRICS_HOST.name()))
                .as("TTS_WORKER_METRICS_HOST: probes reach the pod's address")
                .isEqualTo("0.0.0.0");
        int port = WorkerConfig.METRICS_PORT.read(env);
        assertThat(port)
                .as("TTS_WORKER_METRICS_PORT (0 would turn /metrics and so the probes off)")
                .isPositive();
        assertThat(containerPort(wk, "metrics")).isEqualTo(port);
        Set<String> paths = new TreeSet<>();
        for (String p : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            paths.add(probe(wk, p));
            assertThat(probePort(wk, p)).as("worker %s port", p).isEqualTo(port);
        }
        JsonNode annotations = c.one("Deployment", "worker").at("/spec/template/metadata/annotations");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
        paths.add(annotations.path("prometheus.io/path").asText());
        // the real metrics server, on loopback: every probed path must answer 200
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, () -> "up 1\n")) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (String path : paths) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("worker GET %s", path).isEqualTo(200);
            }
        }
        JsonNode svc = c.one("Service", "worker-metrics");
        assertThat(c.targetPortOf(svc, c.podSpec("Deployment", "worker"))).isEqualTo(port);
    }

    // ---------------------------------------------------------------- Kafka

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void topicsMatchCommonAndTheirPartitionsTheGateway(String overlay) {
        Cluster c = cluster(overlay);
        JsonNode kafka = c.only("Kafka");
        String cluster = kafka.at("/metadata/name").asText();
        assertThat(kafka.at("/metadata/annotations").path("strimzi.io/kraft").asText())
                .isEqualTo("enabled");
        assertThat(kafka.at("/metadata/annotations")
                        .path("strimzi.io/node-pools")
                        .asText())
                .isEqualTo("enabled");
        assertThat(kafka.at("/spec/zookeeper").isMissingNode())
                .as("KRaft: no ZooKeeper")
                .isTrue();
        int brokers = 0;
        boolean controllers = false;
        for (JsonNode pool : c.all("KafkaNodePool")) {
            assertThat(pool.at("/metadata/labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(cluster);
            List<String> roles = texts(pool.at("/spec/roles"));
            if (roles.contains("broker")) {
                brokers += pool.at("/spec/replicas").asInt();
            }
            controllers |= roles.contains("controller");
        }
        assertThat(brokers).as("brokers in the node pools").isPositive();
        assertThat(controllers).as("a node pool with the KRaft controller role").isTrue();
        JsonNode kcfg = kafka.at("/spec/kafka/config");
        for (String f : List.of(
                "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor",
                "default.replication.factor")) {
            assertThat(kcfg.path(f).asInt(1)).as(f).isBetween(1, brokers);
        }
        int minIsr = kcfg.path("min.insync.replicas").asInt(1);

        Map<String, JsonNode> topics = new LinkedHashMap<>();
        for (JsonNode t : c.all("KafkaTopic")) {
            String name = t.at("/spec/topicName").asText(t.at("/metadata/name").asText());
            assertThat(topics.put(name, t)).as("topic %s declared once", name).isNull();
            assertThat(t.at("/metadata/labels").path("strimzi.io/cluster").asText())
                    .as("%s's cluster", name)
                    .isEqualTo(cluster);
            int replicas = t.at("/spec/replicas").asInt();
            assertThat(replicas).as("%s replicas", name).isBetween(1, brokers);
            assertThat(minIsr)
                    .as("min.insync.replicas against %s's replicas", name)
                    .isLessThanOrEqualTo(replicas);
        }
        assertThat(topics.keySet())
                .as("KafkaTopics = common's Topics")
                .containsExactlyInAnyOrder(
                        Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK, Topics.SEGMENTS_DEAD_LETTER);
        GatewayConfig gw = GatewayConfig.fromEnv(c.env(c.gatewayContainer()));
        for (String lane : List.of(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK)) {
            assertThat(topics.get(lane).at("/spec/partitions").asInt())
                    .as("%s partitions = TTS_GATEWAY_TOPIC_PARTITIONS", lane)
                    .isEqualTo(gw.partitions());
        }
        assertThat(gw.createTopics())
                .as("TTS_GATEWAY_CREATE_TOPICS: Strimzi's topic operator owns the topics")
                .isFalse();
        String bootstrap = cluster + "-kafka-bootstrap:" + plainListenerPort(kafka);
        assertThat(gw.infra().kafkaBootstrap())
                .as("gateway TTS_KAFKA_BOOTSTRAP_SERVERS")
                .isEqualTo(bootstrap);
        assertThat(c.env(c.workerContainer()).get(InfraConfig.KAFKA_BOOTSTRAP.name()))
                .as("worker TTS_KAFKA_BOOTSTRAP_SERVERS")
                .isEqualTo(bootstrap);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void scaledObjectTargetsTheWorkersGroupAndLanes(String overlay) {
        Cluster c = cluster(overlay);
        JsonNode so = c.only("ScaledObject");
        assertThat(so.at("/spec/scaleTargetRef/kind").asText("Deployment")).isEqualTo("Deployment");
        assertThat(so.at("/spec/scaleTargetRef/name").asText()).isEqualTo("worker");
        assertThat(c.one("Deployment", "worker").at("/spec/replicas").isMissingNode())
                .as("the worker Deployment leaves replicas to KEDA")
                .isTrue();
        for (JsonNode hpa : c.all("HorizontalPodAutoscaler")) {
            assertThat(hpa.at("/spec/scaleTargetRef/name").asText())
                    .as("only KEDA scales the workers")
                    .isNotEqualTo("worker");
        }
        Map<String, String> wk = c.env(c.workerContainer());
        String group = WorkerConfig.GROUP_ID.read(wk);
        assertThat(GatewayConfig.WORKER_GROUP.read(c.env(c.gatewayContainer())))
                .as("TTS_GATEWAY_WORKER_GROUP")
                .isEqualTo(group);
        int batch = WorkerConfig.BATCH_MAX_SIZE.read(wk);
        JsonNode kafka = c.only("Kafka");
        String bootstrap = kafka.at("/metadata/name").asText() + "-kafka-bootstrap." + c.namespace() + ".svc";
        Map<String, Integer> partitions = new HashMap<>();
        c.all("KafkaTopic")
                .forEach(t -> partitions.put(
                        t.at("/spec/topicName").asText(),
                        t.at("/spec/partitions").asInt()));

        Set<String> lanes = new TreeSet<>();
        for (JsonNode t : so.at("/spec/triggers")) {
            assertThat(t.path("type").asText()).isEqualTo("kafka");
            JsonNode m = t.path("metadata");
            String topic = m.path("topic").asText();
            assertThat(lanes.add(topic)).as("one trigger per lane: %s", topic).isTrue();
            assertThat(m.path("consumerGroup").asText())
                    .as("%s consumerGroup = TTS_WORKER_GROUP_ID", topic)
                    .isEqualTo(group);
            assertThat(m.path("bootstrapServers").asText())
                    .as("%s bootstrapServers (KEDA runs in its own namespace)", topic)
                    .isIn(
                            bootstrap + ":" + plainListenerPort(kafka),
                            bootstrap + ".cluster.local:" + plainListenerPort(kafka));
            assertThat(LAG_BATCHES).as("lane %s", topic).containsKey(topic);
            assertThat(Integer.parseInt(m.path("lagThreshold").asText()))
                    .as("%s lagThreshold = %d x TTS_WORKER_BATCH_MAX_SIZE (%d)", topic, LAG_BATCHES.get(topic), batch)
                    .isEqualTo(LAG_BATCHES.get(topic) * batch);
            assertThat(m.path("allowIdleConsumers").asText("false"))
                    .as("%s: no more workers than partitions", topic)
                    .isEqualTo("false");
            assertThat(so.at("/spec/maxReplicaCount").asInt())
                    .as("maxReplicaCount within %s's partitions", topic)
                    .isLessThanOrEqualTo(partitions.get(topic));
        }
        assertThat(lanes).containsExactlyInAnyOrder(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK);
        assertThat(so.at("/spec/minReplicaCount").asInt())
                .isBetween(1, so.at("/spec/maxReplicaCount").asInt());
    }

    // ---------------------------------------------------------------- Redis and S3

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void jobStateRedisIsDurableAndTheCacheRedisEvicts(String overlay) {
        Cluster c = cluster(overlay);
        Map<String, String> wk = c.env(c.workerContainer());
        JsonNode state = c.serverBehind(wk.get(InfraConfig.REDIS_URL.name()), "redis://");
        List<String> stateArgs = texts(state.path("container").path("args"));
        assertThat(option(stateArgs, "--appendonly"))
                .as("job-state Redis appendonly")
                .isEqualTo("yes");
        assertThat(option(stateArgs, "--maxmemory-policy"))
                .as("job-state Redis never evicts")
                .isEqualTo("noeviction");
        String dir = option(stateArgs, "--dir");
        assertThat(state.path("pvcMounts").has(dir))
                .as("job-state Redis --dir %s on a PersistentVolumeClaim", dir)
                .isTrue();
        JsonNode cache = c.serverBehind(wk.get(WorkerConfig.CACHE_REDIS_URL.name()), "redis://");
        List<String> cacheArgs = texts(cache.path("container").path("args"));
        assertThat(option(cacheArgs, "--maxmemory")).as("cache Redis maxmemory").isNotBlank();
        assertThat(option(cacheArgs, "--maxmemory-policy")).isEqualTo("allkeys-lru");
        assertThat(option(cacheArgs, "--appendonly")).isEqualTo("no");
        assertThat(option(cacheArgs, "--save"))
                .as("cache Redis: no RDB snapshots")
                .isEmpty();
        assertThat(cache.path("pvcMounts").isEmpty())
                .as("cache Redis keeps nothing on disk")
                .isTrue();
        assertThat(cache.path("workload").asText())
                .isNotEqualTo(state.path("workload").asText());
        assertThat(c.env(c.gatewayContainer()).get(InfraConfig.REDIS_URL.name()))
                .isEqualTo(wk.get(InfraConfig.REDIS_URL.name()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void s3EndpointAndCredentialsLeadToMinio(String overlay) {
        Cluster c = cluster(overlay);
        Map<String, String> gw = c.env(c.gatewayContainer());
        JsonNode minio = c.serverBehind(gw.get(InfraConfig.S3_ENDPOINT.name()), "http://");
        assertThat(minio.path("workload").asText()).isEqualTo("StatefulSet/minio");
        Map<String, String> minioEnv = c.env(minio.path("container"));
        assertThat(minioEnv.get("MINIO_ROOT_USER")).isEqualTo(gw.get(InfraConfig.S3_ACCESS_KEY.name()));
        assertThat(minioEnv.get("MINIO_ROOT_PASSWORD")).isEqualTo(gw.get(InfraConfig.S3_SECRET_KEY.name()));
        assertThat(c.env(c.workerContainer()).get(InfraConfig.S3_ENDPOINT.name()))
                .isEqualTo(gw.get(InfraConfig.S3_ENDPOINT.name()));
    }

    // ---------------------------------------------------------------- references and overlays

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyReferenceResolves(String overlay) {
        Cluster c = cluster(overlay);
        assertThat(c.all("Namespace"))
                .extracting(n -> n.at("/metadata/name").asText())
                .containsExactly(c.namespace());
        for (JsonNode o : c.objects) {
            if (!o.path("kind").asText().equals("Namespace")) {
                assertThat(o.at("/metadata/namespace").asText())
                        .as("%s's namespace", id(o))
                        .isEqualTo(c.namespace());
            }
            JsonNode spec = podSpecOf(o);
            if (spec == null) {
                continue;
            }
            JsonNode selector = o.at("/spec/selector/matchLabels");
            assertThat(matches(selector, o.at("/spec/template/metadata/labels")))
                    .as("%s selects its own pods", id(o))
                    .isTrue();
            for (JsonNode container : spec.path("containers")) {
                c.env(container); // fails on any ConfigMap, Secret or key that is not rendered
            }
        }
        for (JsonNode svc : c.all("Service")) {
            JsonNode spec = c.podSpecSelectedBy(
                    svc.at("/spec/selector"),
                    "Service " + svc.at("/metadata/name").asText());
            for (JsonNode port : svc.at("/spec/ports")) {
                assertThat(resolvePort(spec, port.path("targetPort")))
                        .as("%s port %s", id(svc), port)
                        .isPositive();
            }
        }
        for (JsonNode pdb : c.all("PodDisruptionBudget")) {
            c.podSpecSelectedBy(pdb.at("/spec/selector/matchLabels"), id(pdb));
        }
    }

    @Test
    void gpuOverlayRequestsGpusAndCpuOverlayDoesNot() {
        JsonNode gpu = cluster("gpu").podSpec("Deployment", "worker");
        JsonNode res = gpu.at("/containers/0/resources");
        assertThat(res.at("/limits").path("nvidia.com/gpu").asText()).isEqualTo("1");
        assertThat(gpu.path("nodeSelector").size()).as("gpu node selector").isPositive();
        assertThat(gpu.path("tolerations").findValuesAsText("key")).contains("nvidia.com/gpu");
        for (JsonNode o : cluster("cpu").objects) {
            JsonNode spec = podSpecOf(o);
            if (spec != null) {
                assertThat(spec.toString()).as("%s in the cpu overlay", id(o)).doesNotContain("nvidia.com/gpu");
            }
        }
        for (String overlay : OVERLAYS) {
            assertThat(cluster(overlay).workerContainer().path("image").asText())
                    .startsWith("tts-cluster/worker");
        }
        assertThat(cluster("gpu").workerContainer().path("image").asText()).startsWith("tts-cluster/worker-gpu:");
    }

    // ---------------------------------------------------------------- compose and images

    @Test
    void imagesRunTheMainClassesOfflineWithTheModelBundle() throws Exception {
        Map<String, String> mains = Map.of(
                "gateway.Dockerfile",
                "dev.ttscluster.gateway.GatewayMain",
                "worker.Dockerfile",
                "dev.ttscluster.worker.WorkerMain");
        for (Map.Entry<String, String> e : mains.entrySet()) {
            String df = read(COMPOSE.resolve(e.getKey()));
            assertThat(df).as(e.getKey()).containsPattern("(?m)^ENV .*\\bDJL_OFFLINE=true\\b");
            Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(df);
            assertThat(entry.find()).as("%s ENTRYPOINT", e.getKey()).isTrue();
            List<String> argv = texts(YAML.readTree(entry.group(1)));
            assertThat(argv).as(e.getKey()).contains(e.getValue(), "/app/lib/*");
            Class.forName(e.getValue()).getMethod("main", String[].class);
        }
        Class.forName("dev.ttscluster.gateway.KeysMain").getMethod("main", String[].class);
    }

    @Test
    void imagesBuildWithEveryModuleOfTheReactor() throws Exception {
        // the build stage runs the reactor (-pl X -am), which reads every module's pom named by the root pom
        String root = read(ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(root);
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).contains("common", "gateway", "worker");
        for (String dockerfile : List.of("gateway.Dockerfile", "worker.Dockerfile")) {
            String df = read(COMPOSE.resolve(dockerfile));
            for (String module : modules) {
                assertThat(df)
                        .as("%s copies %s/pom.xml", dockerfile, module)
                        .containsPattern("(?m)^COPY " + Pattern.quote(module + "/pom.xml") + " "
                                + Pattern.quote(module + "/") + "$");
            }
            Matcher build = Pattern.compile("-pl (\\S+) -am").matcher(df);
            assertThat(build.find())
                    .as("%s builds one module with what it needs", dockerfile)
                    .isTrue();
            for (String needed : runtimeModules(build.group(1))) {
                assertThat(df)
                        .as("%s copies the sources of %s, which %s needs", dockerfile, needed, build.group(1))
                        .containsPattern("(?m)^COPY " + Pattern.quote(needed + "/src") + " ");
            }
        }
    }

    /** {@code module} and the project modules it depends on, from the poms (transitively). */
    private static Set<String> runtimeModules(String module) throws IOException {
        Set<String> out = new TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(module));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (!out.add(next)) {
                continue;
            }
            Matcher dep = Pattern.compile(
                            "<groupId>dev\\.ttscluster</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:\\s*<scope>(\\w+)</scope>)?")
                    .matcher(read(ROOT.resolve(next).resolve("pom.xml")));
            while (dep.find()) {
                if (!"test".equals(dep.group(2)) && Files.isDirectory(ROOT.resolve(dep.group(1)))) {
                    todo.push(dep.group(1)); // the parent pom (tts-cluster) has no folder of its own
                }
            }
        }
        return out;
    }

    @Test
    void composeFileMatchesTheModulesConfig() throws IOException {
        JsonNode compose = YAML.readTree(COMPOSE.resolve("compose.yaml").toFile());
        JsonNode services = compose.path("services");
        int gateways = 0;
        List<String> workerIds = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : services.properties()) {
            String dockerfile = s.getValue().at("/build/dockerfile").asText("");
            if (dockerfile.isEmpty()) {
                continue;
            }
            assertThat(COMPOSE.resolve(s.getValue().at("/build/context").asText())
                            .resolve(dockerfile))
                    .exists();
            Map<String, String> env = composeEnv(s.getValue());
            assertThat(env).as("%s DJL_OFFLINE", s.getKey()).containsEntry("DJL_OFFLINE", "true");
            if (dockerfile.endsWith("gateway.Dockerfile")) {
                gateways++;
                assertKeysBelong("compose " + s.getKey(), env, names(GatewayConfig.allKeys()));
                GatewayConfig cfg = GatewayConfig.fromEnv(env);
                assertThat(cfg.bindHost()).isEqualTo("0.0.0.0");
                assertThat(texts(s.getValue().path("ports"))).anyMatch(p -> p.endsWith(":" + cfg.port()));
                checkComposeServers(services, env);
            } else if (dockerfile.endsWith("worker.Dockerfile")) {
                assertKeysBelong("compose " + s.getKey(), env, names(WorkerConfig.allKeys()));
                WorkerConfig cfg = WorkerConfig.fromEnv(withLocalModelDir(env, COMPOSE.resolve("worker.Dockerfile")));
                workerIds.add(cfg.workerId());
                assertThat(cfg.groupId()).isEqualTo(Topics.WORKER_GROUP);
                checkComposeServers(services, env);
                String cache = env.get(WorkerConfig.CACHE_REDIS_URL.name());
                List<String> args =
                        texts(services.path(hostOf(cache, "redis://")).path("command"));
                assertThat(option(args, "--maxmemory-policy")).isEqualTo("allkeys-lru");
                assertThat(option(args, "--appendonly")).isEqualTo("no");
            } else {
                fail("compose service %s builds an unknown Dockerfile %s", s.getKey(), dockerfile);
            }
        }
        assertThat(gateways).isEqualTo(1);
        assertThat(workerIds).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
    }

    private static void checkComposeServers(JsonNode services, Map<String, String> env) {
        String kafka = env.get(InfraConfig.KAFKA_BOOTSTRAP.name());
        assertThat(services.has(kafka.split(":")[0]))
                .as("compose service for %s", kafka)
                .isTrue();
        assertThat(services.at("/" + kafka.split(":")[0] + "/environment/KAFKA_ADVERTISED_LISTENERS")
                        .asText())
                .contains("//" + kafka);
        String redis = env.get(InfraConfig.REDIS_URL.name());
        List<String> args = texts(services.path(hostOf(redis, "redis://")).path("command"));
        assertThat(option(args, "--appendonly")).as("compose job-state Redis").isEqualTo("yes");
        assertThat(option(args, "--maxmemory-policy")).isEqualTo("noeviction");
        assertThat(services.has(hostOf(env.get(InfraConfig.S3_ENDPOINT.name()), "http://")))
                .isTrue();
    }

    private static Map<String, String> composeEnv(JsonNode service) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String file : texts(service.path("env_file"))) {
            for (String line : Files.readAllLines(COMPOSE.resolve(file))) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                assertThat(eq).as("%s: %s", file, line).isPositive();
                env.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        service.path("environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    // ---------------------------------------------------------------- the rendered cluster

    static Cluster cluster(String overlay) {
        return new Cluster(OBJECTS.get(overlay));
    }

    /** The objects of one rendered overlay, with look-ups by kind and name. */
    record Cluster(List<JsonNode> objects) {
        List<JsonNode> all(String kind) {
            return objects.stream()
                    .filter(o -> o.path("kind").asText().equals(kind))
                    .toList();
        }

        JsonNode only(String kind) {
            List<JsonNode> all = all(kind);
            assertThat(all).as("exactly one %s", kind).hasSize(1);
            return all.get(0);
        }

        JsonNode one(String kind, String name) {
            return all(kind).stream()
                    .filter(o -> o.at("/metadata/name").asText().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " rendered"));
        }

        String namespace() {
            return only("Namespace").at("/metadata/name").asText();
        }

        JsonNode podSpec(String kind, String name) {
            return podSpecOf(one(kind, name));
        }

        JsonNode gatewayContainer() {
            return container(podSpec("Deployment", "gateway"), "gateway");
        }

        JsonNode workerContainer() {
            return container(podSpec("Deployment", "worker"), "worker");
        }

        /** A container's environment as the kubelet would build it: envFrom first, then env. */
        Map<String, String> env(JsonNode container) {
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                if (from.has("configMapRef")) {
                    env.putAll(
                            data(one("ConfigMap", from.at("/configMapRef/name").asText())));
                } else if (from.has("secretRef")) {
                    env.putAll(data(one("Secret", from.at("/secretRef/name").asText())));
                } else {
                    fail("unknown envFrom %s", from);
                }
            }
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asText();
                if (e.has("value")) {
                    env.put(name, e.path("value").asText());
                } else if (e.has("valueFrom")) {
                    JsonNode v = e.path("valueFrom");
                    if (v.has("fieldRef")) {
                        assertThat(v.at("/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
                        env.put(name, "worker-5c9d7b6f4-x2x7q"); // what a pod's name looks like
                    } else {
                        String kind = v.has("secretKeyRef") ? "Secret" : "ConfigMap";
                        JsonNode ref = v.has("secretKeyRef") ? v.path("secretKeyRef") : v.path("configMapKeyRef");
                        Map<String, String> data =
                                data(one(kind, ref.path("name").asText()));
                        String key = ref.path("key").asText();
                        assertThat(data)
                                .as("%s %s has key %s", kind, ref.path("name").asText(), key)
                                .containsKey(key);
                        env.put(name, data.get(key));
                    }
                } else {
                    env.put(name, "");
                }
            }
            return env;
        }

        /** The workload and container behind {@code scheme://host:port}, by Service name and port. */
        JsonNode serverBehind(String url, String scheme) {
            assertThat(url).startsWith(scheme);
            String hostPort = url.substring(scheme.length()).replaceAll("/.*$", "");
            String host = hostPort.split(":")[0];
            int port = Integer.parseInt(hostPort.split(":")[1]);
            JsonNode svc = one("Service", host);
            JsonNode servicePort = null;
            for (JsonNode p : svc.at("/spec/ports")) {
                if (p.path("port").asInt() == port) {
                    servicePort = p;
                }
            }
            assertThat(servicePort)
                    .as("Service %s has port %d (%s)", host, port, url)
                    .isNotNull();
            for (JsonNode o : objects) {
                JsonNode spec = podSpecOf(o);
                if (spec != null && matches(svc.at("/spec/selector"), o.at("/spec/template/metadata/labels"))) {
                    int target = resolvePort(spec, servicePort.path("targetPort"));
                    for (JsonNode container : spec.path("containers")) {
                        for (JsonNode cp : container.path("ports")) {
                            if (cp.path("containerPort").asInt() == target) {
                                var out = YAML.createObjectNode();
                                out.put(
                                        "workload",
                                        o.path("kind").asText() + "/"
                                                + o.at("/metadata/name").asText());
                                out.set("container", container);
                                var pvc = out.putObject("pvcMounts");
                                Set<String> claims = new TreeSet<>();
                                o.at("/spec/volumeClaimTemplates")
                                        .forEach(t -> claims.add(
                                                t.at("/metadata/name").asText()));
                                spec.path("volumes").forEach(v -> {
                                    if (v.has("persistentVolumeClaim")) {
                                        claims.add(v.path("name").asText());
                                    }
                                });
                                for (JsonNode m : container.path("volumeMounts")) {
                                    if (claims.contains(m.path("name").asText())) {
                                        pvc.put(
                                                m.path("mountPath").asText(),
                                                m.path("name").asText());
                                    }
                                }
                                return out;
                            }
                        }
                    }
                }
            }
            throw new AssertionError("no pod serves " + url);
        }

        JsonNode podSpecSelectedBy(JsonNode selector, String what) {
            assertThat(selector.size()).as("%s has a selector", what).isPositive();
            List<JsonNode> hits = objects.stream()
                    .filter(o -> podSpecOf(o) != null)
                    .filter(o -> matches(selector, o.at("/spec/template/metadata/labels")))
                    .toList();
            assertThat(hits).as("%s selects exactly one workload's pods", what).hasSize(1);
            return podSpecOf(hits.get(0));
        }

        int targetPortOf(JsonNode svc, JsonNode podSpec) {
            assertThat(svc.at("/spec/ports")).hasSize(1);
            return resolvePort(podSpec, svc.at("/spec/ports/0/targetPort"));
        }
    }

    static JsonNode podSpecOf(JsonNode o) {
        String kind = o.path("kind").asText();
        if (Set.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(kind)) {
            return o.at("/spec/template/spec");
        }
        return null;
    }

    static JsonNode container(JsonNode podSpec, String name) {
        for (JsonNode c : podSpec.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    static Map<String, String> data(JsonNode configMapOrSecret) {
        Map<String, String> out = new LinkedHashMap<>();
        configMapOrSecret
                .path("data")
                .properties()
                .forEach(e -> out.put(
                        e.getKey(),
                        configMapOrSecret.path("kind").asText().equals("Secret")
                                ? new String(
                                        Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
                                : e.getValue().asText()));
        configMapOrSecret
                .path("stringData")
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!labels.path(e.getKey()).asText("\0").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** A port given by number or by a container port's name, as the container port's number (0: none). */
    static int resolvePort(JsonNode podSpec, JsonNode port) {
        for (JsonNode c : podSpec.path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (port.isInt()
                        ? p.path("containerPort").asInt() == port.asInt()
                        : p.path("name").asText().equals(port.asText())) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return 0;
    }

    static int containerPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    static String probe(JsonNode container, String probe) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.isMissingNode())
                .as("%s %s is an httpGet probe", container.path("name").asText(), probe)
                .isFalse();
        return get.path("path").asText();
    }

    static int probePort(JsonNode container, String probe) {
        JsonNode port = container.path(probe).at("/httpGet/port");
        if (port.isInt()) {
            return port.asInt();
        }
        return containerPort(container, port.asText());
    }

    static int plainListenerPort(JsonNode kafka) {
        for (JsonNode l : kafka.at("/spec/kafka/listeners")) {
            if (l.path("type").asText().equals("internal") && !l.path("tls").asBoolean()) {
                return l.path("port").asInt();
            }
        }
        throw new AssertionError("no plain internal listener");
    }

    /** The value following {@code flag} in an argument list ("" when it follows as an empty argument). */
    static String option(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertThat(i).as("argument %s in %s", flag, args).isNotNegative();
        assertThat(i + 1).as("a value after %s", flag).isLessThan(args.size());
        return args.get(i + 1);
    }

    static String hostOf(String url, String scheme) {
        assertThat(url).startsWith(scheme);
        return url.substring(scheme.length()).split("[:/]")[0];
    }

    /** The worker image's model directory, mapped to the same bundle in this checkout (COPY models/x /app/models/x). */
    static Map<String, String> withLocalModelDir(Map<String, String> env, Path dockerfile) {
        Map<String, String> out = new HashMap<>(env);
        String dir = env.get(WorkerConfig.MODEL_DIR.name());
        assertThat(dir).as("TTS_WORKER_MODEL_DIR").isNotBlank();
        Matcher copy = Pattern.compile("(?m)^COPY (models/\\S+) " + Pattern.quote(dir) + "$")
                .matcher(read(dockerfile));
        assertThat(copy.find())
                .as("%s copies a bundle to %s", dockerfile.getFileName(), dir)
                .isTrue();
        out.put(WorkerConfig.MODEL_DIR.name(), ROOT.resolve(copy.group(1)).toString());
        return out;
    }

    static void assertKeysBelong(String what, Map<String, String> env, Set<String> known) {
        Set<String> unknown = env.keySet().stream()
                .filter(k -> !known.contains(k) && !NON_CONFIG_ENV.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unknown)
                .as("%s: env keys that are no configuration key of the module", what)
                .isEmpty();
        Set<String> forbidden = new TreeSet<>(env.keySet());
        forbidden.retainAll(NEVER_SET);
        assertThat(forbidden).as("%s: keys for tests only", what).isEmpty();
    }

    static Set<String> names(List<ConfigKey<?>> keys) {
        return keys.stream().map(ConfigKey::name).collect(Collectors.toCollection(TreeSet::new));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + o.at("/metadata/name").asText();
    }

    static List<JsonNode> parseAll(String yaml) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("unparseable YAML: " + e.getMessage(), e);
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- processes

    /** Runs the Node validator on {@code yaml}, installing its pinned packages (npm ci) the first time. */
    static Result validate(String yaml) throws Exception {
        assumeTrue(onPath("node"), "node is not installed: the schema validation of the manifests is skipped");
        Path dir = K8S.resolve("validate");
        synchronized (ManifestsTest.class) {
            if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))) {
                assumeTrue(onPath("npm"), "npm is not installed: cannot install deploy/k8s/validate's packages");
                Result ci = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), dir, null, 300);
                assertThat(ci.code)
                        .as("npm ci in deploy/k8s/validate:\n%s", ci.output)
                        .isZero();
            }
        }
        return exec(List.of("node", dir.resolve("validate.mjs").toString()), dir, yaml, 120);
    }

    static boolean onPath(String command) {
        try {
            return exec(List.of(command, "--version"), null, 30).code == 0
                    || exec(List.of(command, "version", "--client"), null, 30).code == 0;
        } catch (Exception e) {
            return false;
        }
    }

    record Result(int code, String stdout, String output) {}

    static Result exec(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        return exec(command, ROOT, stdin, timeoutSeconds);
    }

    static Result exec(List<String> command, Path dir, String stdin, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("manifests-test", ".out");
        Path err = Files.createTempFile("manifests-test", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            String stdout = Files.readString(out);
            return new Result(p.exitValue(), stdout, stdout + Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
