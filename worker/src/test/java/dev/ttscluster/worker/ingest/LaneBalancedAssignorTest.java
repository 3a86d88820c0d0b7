package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LaneBalancedAssignorTest {
    static final String I = "tts.segments.interactive";
    static final String B = "tts.segments.bulk";
    static final Map<String, Integer> TOPICS = Map.of(I, 12, B, 12);

    static Subscription sub(List<String> topics, List<TopicPartition> owned) {
        return new Subscription(topics, null, owned);
    }

    static long count(List<TopicPartition> parts, String topic) {
        return parts.stream().filter(tp -> tp.topic().equals(topic)).count();
    }

    /** Runs rebalances until nothing moves, as the cooperative protocol would; checks every round is valid. */
    static Map<String, List<TopicPartition>> settle(
            Map<String, List<String>> topics, Map<String, List<TopicPartition>> owned) {
        Map<String, List<TopicPartition>> now = new TreeMap<>(owned);
        for (int round = 0; round < 5; round++) {
            Map<String, Subscription> subs = new TreeMap<>();
            topics.forEach((m, t) -> subs.put(m, sub(t, now.getOrDefault(m, List.of()))));
            Map<String, List<TopicPartition>> next = LaneBalancedAssignor.assign(TOPICS, subs);
            assertValid(now, next);
            if (next.equals(now)) {
                return next;
            }
            now.clear();
            now.putAll(next);
        }
        return now;
    }

    /** No partition twice, and none given to a member in the round another member gives it up. */
    static void assertValid(Map<String, List<TopicPartition>> owned, Map<String, List<TopicPartition>> assigned) {
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> revoked = new HashSet<>();
        Set<TopicPartition> added = new HashSet<>();
        assigned.forEach((m, parts) -> {
            for (TopicPartition tp : parts) {
                assertThat(seen.add(tp)).as("assigned twice: " + tp).isTrue();
                if (!owned.getOrDefault(m, List.of()).contains(tp)) {
                    added.add(tp);
                }
            }
            for (TopicPartition tp : owned.getOrDefault(m, List.of())) {
                if (!parts.contains(tp)) {
                    revoked.add(tp);
                }
            }
        });
        added.retainAll(revoked);
        assertThat(added).as("moved without being revoked first").isEmpty();
    }

    static List<TopicPartition> all(String topic, int n) {
        List<TopicPartition> l = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            l.add(new TopicPartition(topic, p));
        }
        return l;
    }

    @Test
    void aFreshGroupGetsEveryLaneEvenly() {
        Map<String, List<TopicPartition>> a =
                settle(Map.of("w1", List.of(I, B), "w2", List.of(I, B), "w3", List.of(I, B)), Map.of());
        for (List<TopicPartition> parts : a.values()) {
            assertThat(count(parts, I)).isEqualTo(4);
            assertThat(count(parts, B)).isEqualTo(4);
        }
    }

    @Test
    void aWorkerJoiningAnOwnerOfEverythingGetsHalfOfEachLaneAndTheOwnerKeepsItsOwn() {
        List<TopicPartition> everything = new ArrayList<>(all(I, 12));
        everything.addAll(all(B, 12));
        Map<String, List<TopicPartition>> owned = Map.of("w1", everything);
        Map<String, List<String>> topics = Map.of("w1", List.of(I, B), "w2", List.of(I, B));

        Map<String, Subscription> subs = new TreeMap<>();
        topics.forEach((m, t) -> subs.put(m, sub(t, owned.getOrDefault(m, List.of()))));
        Map<String, List<TopicPartition>> first = LaneBalancedAssignor.assign(TOPICS, subs);
        assertThat(first.get("w2")).as("nothing moves before it is revoked").isEmpty();
        assertThat(count(first.get("w1"), I)).isEqualTo(6);
        assertThat(count(first.get("w1"), B)).isEqualTo(6);

        Map<String, List<TopicPartition>> settled = settle(topics, owned);
        for (String m : List.of("w1", "w2")) {
            assertThat(count(settled.get(m), I)).as(m).isEqualTo(6);
            assertThat(count(settled.get(m), B)).as(m).isEqualTo(6);
        }
        assertThat(everything).containsAll(settled.get("w1"));
    }

    @Test
    void aLeavingWorkersPartitionsGoToTheOthersAndNothingElseMoves() {
        Map<String, List<String>> three = Map.of("w1", List.of(I, B), "w2", List.of(I, B), "w3", List.of(I, B));
        Map<String, List<TopicPartition>> before = settle(three, Map.of());
        Map<String, List<TopicPartition>> owned = new HashMap<>(before);
        owned.remove("w3");
        Map<String, List<TopicPartition>> after = settle(Map.of("w1", List.of(I, B), "w2", List.of(I, B)), owned);
        assertThat(after.get("w1")).containsAll(before.get("w1"));
        assertThat(after.get("w2")).containsAll(before.get("w2"));
        assertThat(count(after.get("w1"), I)).isEqualTo(6);
        assertThat(count(after.get("w2"), B)).isEqualTo(6);
    }

    @Test
    void aLaneIsSharedOnlyByTheWorkersThatServeIt() {
        Map<String, List<TopicPartition>> a =
                settle(Map.of("w1", List.of(I), "w2", List.of(I, B), "w3", List.of(I, B)), Map.of());
        assertThat(count(a.get("w1"), I) + count(a.get("w2"), I) + count(a.get("w3"), I))
                .isEqualTo(12);
        assertThat(count(a.get("w1"), I)).isEqualTo(4);
        assertThat(count(a.get("w1"), B)).isZero();
        assertThat(count(a.get("w2"), B)).isEqualTo(6);
        assertThat(count(a.get("w3"), B)).isEqualTo(6);
    }

    @Test
    void aPartitionClaimedTwiceStaysWithOneClaimant() {
        TopicPartition p0 = new TopicPartition(I, 0);
        Map<String, List<TopicPartition>> owned = Map.of("w1", List.of(p0), "w2", List.of(p0));
        Map<String, Subscription> subs = new TreeMap<>();
        owned.forEach((m, o) -> subs.put(m, sub(List.of(I, B), o)));
        Map<String, List<TopicPartition>> first = LaneBalancedAssignor.assign(TOPICS, subs);
        long holders = first.values().stream().filter(l -> l.contains(p0)).count();
        assertThat(holders).isEqualTo(1);
        Map<String, List<TopicPartition>> settled = settle(Map.of("w1", List.of(I, B), "w2", List.of(I, B)), first);
        assertThat(count(settled.get("w1"), I)).isEqualTo(6);
    }
}
