package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.state.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker stopped with SIGTERM in the middle of a run (a rolling restart, a scale-down) finishes what it
 * took, commits it and leaves the consumer group: it exits by itself within its grace, the other
 * worker owns its partitions at once (not a session timeout later), every job succeeds and no segment
 * is done twice.
 */
@OnSharedCluster
class WorkerGracefulStopEndToEndTest {
    /** The shared cluster's session timeout: how late a dead worker's partitions would move. */
    static final long SESSION_TIMEOUT_MS = 6_000;

    static final long GRACE_MS = 30_000;
    static LocalCluster cluster;
    static TtsClient api;
    static Admin admin;

    @BeforeAll
    static void cluster() throws Exception {
        cluster = SharedCluster.get();
        api = SharedCluster.client();
        admin = Admin.create(Map.of(
                "bootstrap.servers",
                cluster.servers().env().get(InfraConfig.KAFKA_BOOTSTRAP.name()),
                "request.timeout.ms",
                "2000",
                "default.api.timeout.ms",
                "4000"));
        // a worker restored by an earlier test may still be joining: start from a settled group
        long deadline = System.currentTimeMillis() + 60_000;
        Set<String> names = new HashSet<>();
        cluster.workers().forEach(w -> names.add(w.name()));
        while (!ownsEverything(group(), names) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void restore() {
        if (admin != null) {
            admin.close();
        }
        SharedCluster.restoreWorkers();
    }

    static ConsumerGroupDescription group() {
        try {
            return admin.describeConsumerGroups(List.of(Topics.WORKER_GROUP))
                    .all()
                    .get(4, TimeUnit.SECONDS)
                    .get(Topics.WORKER_GROUP);
        } catch (Exception e) {
            return null;
        }
    }

    static Set<TopicPartition> segmentPartitions() throws Exception {
        Set<TopicPartition> all = new HashSet<>();
        admin.describeTopics(List.of(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK))
                .allTopicNames()
                .get(4, TimeUnit.SECONDS)
                .forEach((name, d) -> d.partitions().forEach(p -> all.add(new TopicPartition(name, p.partition()))));
        return all;
    }

    /** True when the group's members are exactly {@code clients} and together they own every segment partition. */
    static boolean ownsEverything(ConsumerGroupDescription g, Set<String> clients) throws Exception {
        if (g == null) {
            return false;
        }
        Set<String> members = new HashSet<>();
        Set<TopicPartition> owned = new HashSet<>();
        for (MemberDescription m : g.members()) {
            members.add(m.clientId());
            owned.addAll(m.assignment().topicPartitions());
        }
        return members.equals(clients) && owned.equals(segmentPartitions());
    }

    /** Waits until the workers running now own every partition, and returns how many of each lane each has. */
    static Map<String, Map<String, Long>> settledLanes() throws Exception {
        Set<String> names = new HashSet<>();
        cluster.workers().forEach(w -> names.add(w.name()));
        long deadline = System.currentTimeMillis() + 60_000;
        ConsumerGroupDescription g = group();
        while (!ownsEverything(g, names) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            g = group();
        }
        assertThat(ownsEverything(g, names)).as("the group settled").isTrue();
        Map<String, Map<String, Long>> lanes = new java.util.TreeMap<>();
        for (MemberDescription m : g.members()) {
            Map<String, Long> perTopic = new java.util.TreeMap<>();
            m.assignment().topicPartitions().forEach(tp -> perTopic.merge(tp.topic(), 1L, Long::sum));
            lanes.put(m.clientId(), perTopic);
        }
        return lanes;
    }

    static boolean balanced(Map<String, Map<String, Long>> lanes) {
        return lanes.size() == SharedCluster.WORKERS
                && lanes.values().stream()
                        .allMatch(l -> l.getOrDefault(Topics.SEGMENTS_INTERACTIVE, 0L) == 6
                                && l.getOrDefault(Topics.SEGMENTS_BULK, 0L) == 6);
    }

    @Test
    void everyLaneIsSpreadOverTheWorkersAfterOneIsReplaced() throws Exception {
        SharedCluster.restoreWorkers();
        ChildJvm victim = cluster.workers().get(0);
        victim.kill();
        settledLanes(); // the survivor owns everything
        SharedCluster.restoreWorkers();
        // a cooperative rebalance moves partitions in two rounds (revoke, then assign): give it time to finish
        Map<String, Map<String, Long>> lanes = settledLanes();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!balanced(lanes) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            lanes = settledLanes();
        }
        assertThat(lanes).hasSize(SharedCluster.WORKERS);
        for (Map.Entry<String, Map<String, Long>> e : lanes.entrySet()) {
            assertThat(e.getValue().getOrDefault(Topics.SEGMENTS_INTERACTIVE, 0L))
                    .as(e.getKey() + " " + lanes)
                    .isEqualTo(6);
            assertThat(e.getValue().getOrDefault(Topics.SEGMENTS_BULK, 0L))
                    .as(e.getKey() + " " + lanes)
                    .isEqualTo(6);
        }
    }

    @Test
    void aWorkerStoppedWithSigtermFinishesItsWorkLeavesTheGroupAndNothingIsRedone() throws Exception {
        // every sentence unique (a numbered clause), so the segment cache cannot finish the jobs before the stop
        List<String> texts = Jobs.uniqueTexts(20, 6, "stop", System.nanoTime() % 1000);
        List<String> ids = Jobs.submit(api, texts);
        Jobs.awaitStarted(api, ids.get(0));
        ChildJvm victim = cluster.workers().get(0);
        Set<String> survivors = new HashSet<>();
        cluster.workers().stream().filter(w -> w != victim).forEach(w -> survivors.add(w.name()));

        // watch the group from outside while the victim stops: when do the survivors own everything?
        long[] ownedAt = {0};
        Thread watch = new Thread(
                () -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS + 20_000);
                    try {
                        while (System.nanoTime() < until) {
                            if (ownsEverything(group(), survivors)) {
                                ownedAt[0] = System.nanoTime();
                                return;
                            }
                            Thread.sleep(50);
                        }
                    } catch (Exception e) {
                        // no answer: ownedAt stays 0 and the assertion below says so
                    }
                },
                "group-watch");
        long sigterm = System.nanoTime();
        watch.start();
        victim.stop(GRACE_MS); // SIGTERM, SIGKILL only after the grace
        long exited = System.nanoTime();
        int notFinishedAtStop = Jobs.notFinal(api, ids);
        watch.join(GRACE_MS + 25_000);

        long stopMs = TimeUnit.NANOSECONDS.toMillis(exited - sigterm);
        assertThat(victim.exitValue())
                .as("exit status: 143 is SIGTERM's own exit, 137 a kill after the grace")
                .isEqualTo(143);
        assertThat(stopMs).as("ms from SIGTERM to exit").isLessThan(GRACE_MS);
        assertThat(ownedAt[0]).as("the survivors came to own every partition").isPositive();
        long takeoverMs = TimeUnit.NANOSECONDS.toMillis(ownedAt[0] - exited);
        // a worker that died without leaving keeps its partitions until the session timeout has passed since its
        // last heartbeat, and then the survivors still have to rejoin: they take over sooner than that could begin
        assertThat(takeoverMs)
                .as("ms from the victim's exit until the survivors own its partitions")
                .isLessThan(SESSION_TIMEOUT_MS);
        String log = java.nio.file.Files.readString(cluster.dataDir().resolve("logs/" + victim.name() + ".log"));
        assertThat(log).as("the victim's own account of its stop").contains("poll loop stopped after");
        assertThat(notFinishedAtStop)
                .as("jobs still running when the worker had stopped")
                .isPositive();

        int duplicates = 0;
        try (JobStore store =
                JobStore.connect(cluster.servers().env().get(InfraConfig.REDIS_URL.name()), Clock.systemUTC(), 3600)) {
            for (String id : ids) {
                JobView job = api.awaitJob(id, Duration.ofSeconds(180));
                assertThat(job.status()).as(job.toString()).isEqualTo("succeeded");
                JobRecord r = store.get(id).orElseThrow();
                assertThat(r.done()).as("distinct segments counted").isEqualTo(r.segments());
                duplicates += r.duplicates();
            }
        }
        assertThat(duplicates)
                .as("segments done twice: a graceful stop redoes nothing")
                .isZero();
        System.out.println("worker graceful stop: exited " + stopMs + " ms after SIGTERM with " + victim.exitValue()
                + ", survivors owned its partitions " + takeoverMs + " ms after its exit ("
                + TimeUnit.NANOSECONDS.toMillis(ownedAt[0] - sigterm) + " ms after SIGTERM), " + notFinishedAtStop
                + " jobs still running at its exit, " + duplicates + " duplicates");
    }
}
