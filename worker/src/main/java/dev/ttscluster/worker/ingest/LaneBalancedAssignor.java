package dev.ttscluster.worker.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;

/**
 * Assigns every topic's partitions evenly over the workers that subscribe to it, each topic on its own,
 * keeping what each worker already owns where the balance allows, under the cooperative protocol.
 *
 * <p>Why not Kafka's cooperative-sticky assignor: it balances the total count over all topics, so after a
 * worker leaves and rejoins it may keep all of one lane's partitions on one worker and give the other only
 * the other lane's (balanced in count: 12 and 12), which halves interactive throughput. Here each lane is
 * balanced (partitions per worker differ by at most one within every topic).
 *
 * <p>Cooperative rule: a partition that moves from one owner to another is left unassigned in this
 * rebalance; its old owner revokes it, which makes it rejoin, and the next rebalance gives it to the new
 * owner. A partition claimed by two members (one of them a zombie) stays with the first claimant that has
 * room. Pure function of its input; thread-safe.
 */
public final class LaneBalancedAssignor implements ConsumerPartitionAssignor {
    /** The name members announce; all workers must run an assignor of this name. */
    public static final String NAME = "tts-lane-balanced";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
        Map<String, Subscription> subs = new TreeMap<>(group.groupSubscription());
        Map<String, Integer> partitionCounts = new TreeMap<>();
        for (Subscription s : subs.values()) {
            for (String topic : s.topics()) {
                Integer n = metadata.partitionCountForTopic(topic);
                if (n != null && n > 0) {
                    partitionCounts.put(topic, n);
                }
            }
        }
        Map<String, List<TopicPartition>> out = assign(partitionCounts, subs);
        Map<String, Assignment> assignments = new HashMap<>();
        out.forEach((member, parts) -> assignments.put(member, new Assignment(parts)));
        return new GroupAssignment(assignments);
    }

    /**
     * The assignment itself: topic -> partition count, member -> subscription (topics and owned partitions),
     * in, member -> partitions out.
     */
    static Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionCounts, Map<String, Subscription> subs) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        Map<TopicPartition, Set<String>> claimants = new HashMap<>();
        for (Map.Entry<String, Subscription> e : subs.entrySet()) {
            out.put(e.getKey(), new ArrayList<>());
            for (TopicPartition tp : e.getValue().ownedPartitions()) {
                claimants.computeIfAbsent(tp, k -> new TreeSet<>()).add(e.getKey());
            }
        }
        for (Map.Entry<String, Integer> t : partitionCounts.entrySet()) {
            String topic = t.getKey();
            int n = t.getValue();
            List<String> members = new ArrayList<>();
            subs.forEach((m, s) -> {
                if (s.topics().contains(topic)) {
                    members.add(m);
                }
            });
            if (members.isEmpty()) {
                continue;
            }
            Map<String, List<Integer>> owned = new HashMap<>();
            for (String m : members) {
                List<Integer> mine = new ArrayList<>();
                for (TopicPartition tp : subs.get(m).ownedPartitions()) {
                    if (tp.topic().equals(topic) && tp.partition() < n) {
                        mine.add(tp.partition());
                    }
                }
                mine.sort(null);
                owned.put(m, mine);
            }
            // quotas: floor(n/m) each, one more for the n % m members that already own the most
            int base = n / members.size();
            int extra = n % members.size();
            List<String> byOwned = new ArrayList<>(members);
            byOwned.sort(
                    Comparator.comparingInt((String m) -> -owned.get(m).size()).thenComparing(m -> m));
            Map<String, Integer> quota = new HashMap<>();
            for (int i = 0; i < byOwned.size(); i++) {
                quota.put(byOwned.get(i), base + (i < extra ? 1 : 0));
            }
            Map<Integer, String> target = new TreeMap<>();
            for (String m : byOwned) { // sticky: keep owned partitions up to the quota
                for (int p : owned.get(m)) {
                    if (target.size() < n && !target.containsKey(p) && count(target, m) < quota.get(m)) {
                        target.put(p, m);
                    }
                }
            }
            for (int p = 0; p < n; p++) { // the rest to whoever is furthest below its quota
                if (!target.containsKey(p)) {
                    String best = null;
                    for (String m : members) {
                        int room = quota.get(m) - count(target, m);
                        if (room > 0 && (best == null || room > quota.get(best) - count(target, best))) {
                            best = m;
                        }
                    }
                    if (best != null) {
                        target.put(p, best);
                    }
                }
            }
            for (Map.Entry<Integer, String> a : target.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, a.getKey());
                Set<String> c = claimants.getOrDefault(tp, Set.of());
                // moving from another owner: wait until that owner has revoked it (next rebalance)
                if (c.isEmpty() || c.contains(a.getValue())) {
                    out.get(a.getValue()).add(tp);
                }
            }
        }
        return out;
    }

    private static int count(Map<Integer, String> target, String member) {
        int n = 0;
        for (String m : target.values()) {
            if (m.equals(member)) {
                n++;
            }
        }
        return n;
    }
}
