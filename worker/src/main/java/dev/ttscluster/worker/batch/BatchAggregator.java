package dev.ttscluster.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Gathers items from a source into micro-batches under a {@link BatchPolicy}. It waits for a first
 * item, then keeps polling with the time left in the window (counted from the oldest buffered item's
 * arrival) until a batch is full by size or by padded-token budget. Items not taken stay buffered,
 * with their arrival times, for the next batch.
 *
 * <p>Which items: the oldest buffered item always goes first (so nothing waits forever). With
 * {@link BatchPolicy#groupByLength()} the rest are the buffered items closest in length to it, else
 * the buffered items in arrival order. Either way an item of a group (a job) is only taken together
 * with or after every earlier-arrived item of the same group, and a batch lists its items in arrival
 * order: nothing is reordered within a job, except that a lead ({@link Sizer#leads}, a job's first segment) goes
 * first, in a batch of leads only, so first audio never waits for the rest of its job. Items have lanes ({@link Sizer#lane}): while an item of a
 * lower lane is buffered, only items of the lowest lane buffered are batched, and the window counts from
 * the oldest of them, so interactive work never waits for bulk work that is merely buffered. Not
 * thread-safe: the polling thread owns it.
 *
 * <p>Why it is longer than most classes: the batch-closing rules (size, padded tokens, window, lanes, leads,
 * length grouping, per-job order) decide together which items a batch takes, and its tests check them
 * together; it holds no I/O and nothing else.
 *
 * @param <T> item type
 */
public final class BatchAggregator<T> {
    /** Where items come from; Kafka's poll in production. */
    @FunctionalInterface
    public interface Source<T> {
        /** Waits up to {@code timeout} for items; returns what arrived, possibly nothing. */
        Collection<T> poll(Duration timeout);
    }

    /** What the aggregator needs to know of an item. */
    public interface Sizer<T> {
        /** Length in tokens (phones): what padding is counted in. */
        int tokens(T item);

        /** The group whose arrival order must be kept (the job); null for none. */
        String group(T item);

        /**
         * The item's lane: while any item of a lower lane is buffered, batches hold only items of the lowest
         * lane there is (interactive work before bulk). Items of one group share a lane. Default 0.
         */
        default int lane(T item) {
            return 0;
        }

        /**
         * True for an item that starts its group's audio (a streamed job's first segment, when the job has
         * more segments): such leads go first, in batches of leads only, so a job's first audio waits for one
         * short batch rather than for a batch holding its whole job. Default false.
         */
        default boolean leads(T item) {
            return false;
        }
    }

    private record Entry<T>(T item, int tokens, String group, long arrivedMs, int lane, boolean leads) {}

    /**
     * {@code anchor}: index of the oldest buffered item of the lane being served, the window counts from it;
     * {@code policy}: that lane's.
     */
    private record Plan(
            List<Integer> picked,
            Batch.CloseReason full,
            int longest,
            long realTokens,
            int anchor,
            BatchPolicy policy,
            boolean ofLeads) {}

    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration GATED_POLL = Duration.ofMillis(5);
    /** Batches' worth of items buffered at most: the pool length grouping picks from. */
    public static final int LOOKAHEAD_BATCHES = 8;

    private final Source<T> source;
    private final BatchPolicy policy;
    private final Map<Integer, BatchPolicy> lanePolicies = new HashMap<>();
    private IntPredicate laneOpen = lane -> true;
    private final Sizer<T> sizer;
    private final Clock clock;
    private final List<Entry<T>> buffer = new ArrayList<>();
    /** The last batch was made of leads only: the next one serves the oldest item if it waited its window. */
    private boolean lastOfLeads;

    /**
     * @param sizer tokens and group of an item
     */
    public BatchAggregator(Source<T> source, BatchPolicy policy, Sizer<T> sizer, Clock clock) {
        this.source = source;
        this.policy = policy;
        this.sizer = sizer;
        this.clock = clock;
    }

    /** Items of one token each and no groups: size and window decide. */
    public BatchAggregator(Source<T> source, BatchPolicy policy, Clock clock) {
        this(
                source,
                policy,
                new Sizer<>() {
                    @Override
                    public int tokens(T item) {
                        return 1;
                    }

                    @Override
                    public String group(T item) {
                        return null;
                    }
                },
                clock);
    }

    /**
     * Returns the next batch, or an empty one once {@code running} turns false while waiting for a
     * first item. Never returns an empty batch while running.
     */
    public Batch<T> next(BooleanSupplier running) {
        return next(running, () -> {});
    }

    /**
     * As {@link #next(BooleanSupplier)}, running {@code whileIdle} after every poll that found nothing
     * while no item is buffered (the caller's chance to finish other work, e.g. commit what became
     * durable, while no traffic comes).
     */
    public Batch<T> next(BooleanSupplier running, Runnable whileIdle) {
        if (!buffer.isEmpty() && buffered(0) < maxBuffered()) {
            // whatever already arrived may belong in this batch; a buffer full of lower-priority (bulk) work
            // still lets interactive items in (the source bounds how much bulk work it hands out)
            add(source.poll(Duration.ZERO));
        }
        while (true) {
            while (!hasOpenItems()) {
                if (!running.getAsBoolean()) {
                    return new Batch<>(List.of(), 0, Batch.CloseReason.STOPPED);
                }
                // items of a closed lane only: look again soon, the lane opens when the caller's work drains
                add(source.poll(buffer.isEmpty() ? IDLE_POLL : GATED_POLL));
                if (!hasOpenItems()) {
                    whileIdle.run();
                }
            }
            Plan plan = plan();
            Batch.CloseReason reason = plan.full();
            if (reason == null) {
                long left = plan.policy().windowMs()
                        - (clock.millis() - buffer.get(plan.anchor()).arrivedMs());
                if (left <= 0) {
                    reason = Batch.CloseReason.WINDOW;
                } else if (!running.getAsBoolean()) {
                    reason = Batch.CloseReason.STOPPED;
                } else {
                    // a poll may also drop buffered items (revoked partitions): plan again from scratch
                    add(source.poll(Duration.ofMillis(left)));
                    continue;
                }
            }
            return take(plan, reason);
        }
    }

    private Batch<T> take(Plan plan, Batch.CloseReason reason) {
        long waited = clock.millis() - buffer.get(plan.anchor()).arrivedMs();
        List<Integer> picked = new ArrayList<>(plan.picked());
        picked.sort(Comparator.naturalOrder());
        List<T> items = new ArrayList<>(picked.size());
        for (int i : picked) {
            items.add(buffer.get(i).item());
        }
        for (int k = picked.size() - 1; k >= 0; k--) {
            buffer.remove((int) picked.get(k));
        }
        lastOfLeads = plan.ofLeads();
        return new Batch<>(items, waited, reason, (long) plan.longest() * items.size(), plan.realTokens());
    }

    /**
     * Chooses the next batch from the buffer, among the items of the lowest lane buffered; {@code full} is
     * null while more items could still join.
     */
    private Plan plan() {
        int lane = Integer.MAX_VALUE;
        int anchor = 0;
        for (int i = 0; i < buffer.size(); i++) {
            if (buffer.get(i).lane() < lane && laneOpen.test(buffer.get(i).lane())) {
                lane = buffer.get(i).lane();
                anchor = i;
            }
        }
        BatchPolicy policy = policyOf(lane);
        int lead = -1; // the lane's oldest lead
        for (int i = 0; i < buffer.size() && lead < 0; i++) {
            if (buffer.get(i).lane() == lane && buffer.get(i).leads()) {
                lead = i;
            }
        }
        // leads first, but never two lead batches in a row while the lane's oldest item has waited its window:
        // a stream of new jobs cannot starve the rest of the jobs already started
        boolean ofLeads = lead >= 0
                && !(lastOfLeads
                        && !buffer.get(anchor).leads()
                        && clock.millis() - buffer.get(anchor).arrivedMs() >= policy.windowMs());
        if (ofLeads) {
            anchor = lead;
        }
        List<Integer> picked = new ArrayList<>();
        boolean[] taken = new boolean[buffer.size()];
        for (int i = 0; i < buffer.size(); i++) {
            // other lanes wait for a later batch; so do non-leads while leads go first
            taken[i] =
                    buffer.get(i).lane() != lane || (ofLeads && !buffer.get(i).leads());
        }
        Map<String, Integer> nextOfGroup = new HashMap<>(); // index of the group's first item not yet taken
        for (int i = buffer.size() - 1; i >= 0; i--) {
            String g = buffer.get(i).group();
            if (g != null) {
                nextOfGroup.put(g, i);
            }
        }
        List<Integer> order = new ArrayList<>(buffer.size());
        for (int i = 0; i < buffer.size(); i++) {
            if (!taken[i]) {
                order.add(i);
            }
        }
        if (policy.groupByLength()) {
            int first = anchor;
            int length = buffer.get(anchor).tokens();
            order.sort(Comparator.<Integer>comparingInt(
                            i -> i == first ? -1 : Math.abs(buffer.get(i).tokens() - length))
                    .thenComparingInt(i -> i));
        }
        int longest = 0;
        long real = 0;
        Batch.CloseReason full = null;
        boolean progress = true;
        while (progress && full != Batch.CloseReason.SIZE) {
            progress = false;
            for (int i : order) {
                if (taken[i]) {
                    continue;
                }
                Entry<T> e = buffer.get(i);
                if (e.group() != null && !e.leads() && !Integer.valueOf(i).equals(nextOfGroup.get(e.group()))) {
                    continue; // an earlier item of its job must go first (a lead is its job's first)
                }
                int l = Math.max(longest, e.tokens());
                if (picked.size() + 1 > policy.maxSize()) {
                    full = Batch.CloseReason.SIZE;
                    break;
                }
                if (!picked.isEmpty() && !policy.fits(picked.size() + 1, l)) {
                    full = full == null ? Batch.CloseReason.BUDGET : full;
                    if (!policy.groupByLength()) {
                        break; // arrival order: never skip ahead of an item that did not fit
                    }
                    continue;
                }
                taken[i] = true;
                picked.add(i);
                longest = l;
                real += e.tokens();
                progress = true;
                if (e.group() != null && Integer.valueOf(i).equals(nextOfGroup.get(e.group()))) {
                    nextOfGroup.remove(e.group());
                    for (int j = i + 1; j < buffer.size(); j++) {
                        if (e.group().equals(buffer.get(j).group()) && !taken[j]) {
                            nextOfGroup.put(e.group(), j);
                            break;
                        }
                    }
                }
                if (policy.groupByLength()) {
                    break; // restart from the closest candidate: taking this one may have freed its job's next item
                }
            }
            if (full == Batch.CloseReason.BUDGET && !policy.groupByLength()) {
                break;
            }
        }
        if (full == null && picked.size() >= policy.maxSize()) {
            full = Batch.CloseReason.SIZE;
        }
        return new Plan(picked, full, longest, real, anchor, policy, ofLeads);
    }

    /**
     * Batches of {@code lane} follow {@code lanePolicy} instead of the aggregator's policy (e.g. smaller
     * bulk batches, so interactive work never waits long behind one); its size must not pass the main
     * policy's, which bounds the buffer.
     *
     * @return this
     */
    public BatchAggregator<T> withLanePolicy(int lane, BatchPolicy lanePolicy) {
        if (lanePolicy.maxSize() > policy.maxSize()) {
            throw new IllegalArgumentException("a lane's batches may not be larger than the main policy's");
        }
        lanePolicies.put(lane, lanePolicy);
        return this;
    }

    /**
     * Batches are made only of lanes {@code open} accepts (asked before every batch; e.g. a lane whose
     * earlier batches are still being stored waits, rather than blocking the caller): items of a closed
     * lane stay buffered, and the window of an item that waited for its lane to open is already over.
     *
     * @return this
     */
    public BatchAggregator<T> whenLaneOpen(IntPredicate open) {
        this.laneOpen = open;
        return this;
    }

    private boolean hasOpenItems() {
        for (Entry<T> e : buffer) {
            if (laneOpen.test(e.lane())) {
                return true;
            }
        }
        return false;
    }

    private BatchPolicy policyOf(int lane) {
        return lanePolicies.getOrDefault(lane, policy);
    }

    /** Beyond this many buffered items, no more are fetched until batches take some: bounded memory. */
    private int maxBuffered() {
        return policy.maxSize() * LOOKAHEAD_BATCHES;
    }

    private void add(Collection<T> items) {
        long now = clock.millis();
        for (T item : items) {
            buffer.add(new Entry<>(
                    item,
                    Math.max(0, sizer.tokens(item)),
                    sizer.group(item),
                    now,
                    sizer.lane(item),
                    sizer.leads(item)));
        }
    }

    /** Drops buffered items matching {@code gone} (e.g. records of revoked partitions). */
    public void drop(Predicate<T> gone) {
        buffer.removeIf(e -> gone.test(e.item()));
    }

    /** Items buffered for later batches. */
    public int buffered() {
        return buffer.size();
    }

    /** Items of {@code lane} buffered for later batches. */
    public int buffered(int lane) {
        int n = 0;
        for (Entry<T> e : buffer) {
            n += e.lane() == lane ? 1 : 0;
        }
        return n;
    }
}
