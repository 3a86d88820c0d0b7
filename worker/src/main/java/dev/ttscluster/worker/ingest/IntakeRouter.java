package dev.ttscluster.worker.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits what one poll brought: what {@link Intake#serve} answers at once (cache hits) skips the batcher;
 * the rest (undecodable records included, which the batcher skips in order) goes on to it. Not thread-safe:
 * the polling thread uses it.
 */
final class IntakeRouter {
    /**
     * One poll, routed.
     *
     * @param batched records for the batcher, in arrival order
     * @param served records the intake answered
     * @param durable what makes the served ones durable ({@link Durable#DONE} when none)
     */
    record Routed(List<PolledRecord> batched, List<PolledRecord> served, Durable durable) {}

    private final Intake intake;

    IntakeRouter(Intake intake) {
        this.intake = intake;
    }

    Routed route(List<PolledRecord> polled) {
        List<Prepared> ready = new ArrayList<>();
        for (PolledRecord r : polled) {
            if (r.prepared() != null) {
                ready.add(r.prepared());
            }
        }
        if (ready.isEmpty()) {
            return new Routed(polled, List.of(), Durable.DONE);
        }
        Served answer = intake.serve(ready);
        if (answer.count() == 0) {
            return new Routed(polled, List.of(), Durable.DONE);
        }
        List<PolledRecord> rest = new ArrayList<>(polled.size());
        List<PolledRecord> fast = new ArrayList<>();
        int k = 0;
        for (PolledRecord r : polled) {
            if (r.prepared() != null && answer.taken()[k++]) {
                fast.add(r);
            } else {
                rest.add(r);
            }
        }
        return new Routed(rest, fast, answer.durable());
    }
}
