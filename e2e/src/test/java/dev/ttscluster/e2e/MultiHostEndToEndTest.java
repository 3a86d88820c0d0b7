package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.deploy.netns.HostNetwork;
import dev.ttscluster.deploy.netns.MultiHostCluster;
import dev.ttscluster.worker.config.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several hosts for real: the Kafka broker, both Redis servers, the S3 server, the gateway and two workers
 * each run on a network namespace of their own (iproute2: {@code ip netns}, veth pairs, a bridge), every
 * process bound to its own address, so nothing that assumes the services share a host can work. This JVM
 * stands outside them all (the root namespace), as a client would. Skipped with a message where network
 * namespaces cannot be made (not root, no iproute2).
 */
class MultiHostEndToEndTest {
    private static final int WORKERS = 2;
    private static final int JOBS = 6;
    private static final int SENTENCES = 3;
    private static MultiHostCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        Path data = Path.of("target", "multihost-" + System.currentTimeMillis()).toAbsolutePath();
        try {
            cluster = MultiHostCluster.start(
                    data,
                    WORKERS,
                    SharedCluster.repoRoot().resolve(SharedCluster.BUNDLE),
                    Map.of(WorkerConfig.SESSION_TIMEOUT_MS.name(), "6000"));
        } catch (HostNetwork.UnavailableException e) {
            Assumptions.abort(
                    "multi-host test skipped: this machine cannot make network namespaces: " + e.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
            // every namespace, veth and the bridge of this run are gone
            assertThat(HostNetwork.leftovers(ProcessHandle.current().pid())).isEmpty();
        }
    }

    @Test
    void jobsRunThroughServicesOnSeparateHosts() throws Exception {
        HostNetwork net = cluster.network();
        Map<String, String> hosts = net.addresses();
        assertThat(Set.copyOf(hosts.values())).as("one address per host").hasSize(hosts.size());

        // each process listens only on its own host's address: nothing on a loopback or a wildcard address
        for (var h : hosts.entrySet()) {
            List<String> listening = net.listeners(h.getKey());
            assertThat(listening)
                    .as("listening sockets on %s", h.getKey())
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a).startsWith(h.getValue() + ":"));
        }

        // the two workers joined the group from their own hosts, and each owns interactive partitions
        String bootstrap = cluster.infraEnv().get(InfraConfig.KAFKA_BOOTSTRAP.name());
        Set<String> memberHosts = awaitTwoMembersWithWork(bootstrap, Duration.ofSeconds(60));
        assertThat(memberHosts)
                .containsExactlyInAnyOrder(
                        net.address(MultiHostCluster.workerHost(1)), net.address(MultiHostCluster.workerHost(2)));

        TtsClient api = TtsClient.of(cluster.gatewayUrl(), cluster.createApiKey("hosts"));
        long run = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String text = JobLifecycleEndToEndTest.uniqueText(i, SENTENCES, "hosts", run);
            double speed = i % 3 == 2 ? 1.25 : 1.0;
            ids.add(api.submitJob(
                            JobRequest.of(text).withVoice(SharedCluster.VOICE).withSpeed(speed))
                    .view()
                    .id());
            texts.add(text);
            speeds.add(speed);
        }

        int segments = 0;
        for (int i = 0; i < JOBS; i++) {
            JobView job = api.awaitJob(ids.get(i), Duration.ofSeconds(120));
            assertThat(job.status()).as(job.toString()).isEqualTo("succeeded");
            segments += job.segments();

            // the presigned URL is signed for the S3 host's address and is served from there
            URI url = URI.create(job.audioUrl());
            assertThat(url.getHost()).isEqualTo(net.address(MultiHostCluster.S3));
            assertThat(url.getPort()).isEqualTo(MultiHostCluster.S3_PORT);
            byte[] audio = api.download(url.toString());
            WavAssert.isServiceWav(audio, null);

            ReferenceSynthesis.assertMatches(
                    ReferenceSynthesis.samples(audio),
                    ReferenceSynthesis.expected(texts.get(i), speeds.get(i)),
                    "job " + i);
            // the gateway reads the same object from the S3 host
            assertThat(api.jobAudio(ids.get(i))).isEqualTo(audio);
        }
        assertThat(segments).isEqualTo(JOBS * SENTENCES);

        // both workers synthesized segments (read from each worker's own host)
        double total = 0;
        for (int w = 1; w <= WORKERS; w++) {
            double made = Prometheus.metric(cluster.metricsUrl(w), "tts_worker_segments_total");
            assertThat(made).as("segments synthesized by worker-%d", w).isGreaterThan(0);
            total += made;
        }
        assertThat(total).isGreaterThanOrEqualTo(segments);
    }

    /** Waits until the workers' group is stable with two members, each owning interactive partitions; their hosts. */
    private static Set<String> awaitTwoMembersWithWork(String bootstrap, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(Topics.WORKER_GROUP))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .get(Topics.WORKER_GROUP);
                Map<String, Integer> owned = new HashMap<>();
                Set<String> memberHosts = new TreeSet<>();
                for (MemberDescription m : g.members()) {
                    memberHosts.add(m.host().replaceFirst("^/", ""));
                    owned.put(m.consumerId(), (int) m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(Topics.SEGMENTS_INTERACTIVE))
                            .count());
                }
                last = g.state() + " " + memberHosts + " " + owned.values();
                if (g.members().size() == WORKERS
                        && owned.values().stream().allMatch(n -> n > 0)
                        && "stable".equalsIgnoreCase(g.state().toString())) {
                    return memberHosts;
                }
                Thread.sleep(250);
            }
            throw new AssertionError(
                    "the workers' group did not settle with " + WORKERS + " members owning work: " + last);
        }
    }
}
