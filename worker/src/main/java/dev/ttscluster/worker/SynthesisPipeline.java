package dev.ttscluster.worker;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.common.text.Phonemizer;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisModel;
import dev.ttscluster.worker.inference.SynthesisOutput;
import dev.ttscluster.worker.store.SegmentWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Processes one micro-batch of segments end to end: skip segments of finished jobs, phonemize, ONE
 * batched model call, upload each segment, count it, assemble jobs whose last segment landed.
 * Returns only when every effect of the batch is durable, so the caller may then commit offsets.
 * Not thread-safe (owns the model).
 *
 * <p>Retriable faults (Redis, S3) are retried with backoff for as long as {@code running} holds;
 * nothing is recomputed on retry. A stop request lets a healthy batch finish; only a batch stuck
 * on a failing server is abandoned (uncommitted, so it is redelivered). A batch the model rejects is re-run row by row so that one poison
 * segment fails only its own job (and goes to the dead-letter sink).
 */
public final class SynthesisPipeline implements dev.ttscluster.worker.ingest.BatchHandler {
    private static final Logger log = LoggerFactory.getLogger(SynthesisPipeline.class);

    /** Receives segments that failed for good. */
    @FunctionalInterface
    public interface DeadLetters {
        void send(SegmentTask task, String reason);
    }

    /** Thrown when the worker is stopping in the middle of a batch: nothing may be committed. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Stopped() {
            super("stopping", null, false, false);
        }
    }

    private final SynthesisModel model;
    private final Phonemizer phonemizer;
    private final JobStore jobs;
    private final SegmentWriter writer;
    private final JobAssembler assembler;
    private final DeadLetters deadLetters;
    private final Sleeper sleeper;
    private final long backoffMs;

    /** Sleeps between retries; injected so tests never sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    public SynthesisPipeline(SynthesisModel model, Phonemizer phonemizer, JobStore jobs, SegmentWriter writer,
                             JobAssembler assembler, DeadLetters deadLetters, Sleeper sleeper, long backoffMs) {
        this.model = model;
        this.phonemizer = phonemizer;
        this.jobs = jobs;
        this.writer = writer;
        this.assembler = assembler;
        this.deadLetters = deadLetters;
        this.sleeper = sleeper;
        this.backoffMs = backoffMs;
    }

    /**
     * Processes the batch.
     *
     * @throws Stopped when {@code running} turned false before the batch was durable
     */
    @Override
    public void process(List<SegmentTask> batch, BooleanSupplier running) {
        Map<String, JobStatus> status = retry(() -> jobs.statuses(batch.stream().map(SegmentTask::jobId).distinct().toList()),
                running);
        List<SegmentTask> live = new ArrayList<>();
        List<SynthesisInput> rows = new ArrayList<>();
        for (SegmentTask t : batch) {
            JobStatus s = status.get(t.jobId());
            if (s == null || s.isFinal()) {
                continue; // expired, deleted, cancelled or failed: nothing to do
            }
            int speaker = model.manifest().speakerId(t.voice());
            if (speaker < 0) {
                fail(t, "voice '" + t.voice() + "' is not in model " + model.manifest().name(), running);
                continue;
            }
            live.add(t);
            rows.add(new SynthesisInput(phonemizer.ids(t.text()), speaker, (float) t.speed()));
        }
        if (live.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<SynthesisOutput> outs = infer(live, rows, running);
        long inferMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        long samples = 0;
        int assembled = 0;
        for (int i = 0; i < live.size(); i++) {
            SynthesisOutput o = outs.get(i);
            if (o == null) {
                continue;
            }
            samples += o.samples().length;
            SegmentTask task = live.get(i);
            SegmentMark mark = retry(() -> writer.write(task, o.samples()), running);
            if (mark.readyToAssemble()) {
                retry(() -> assembler.assemble(task), running);
                assembled++;
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("batch of {} rows: inference {} ms, store+assemble {} ms ({} jobs assembled), {} s of audio",
                    live.size(), inferMs, (System.nanoTime() - t1) / 1_000_000, assembled,
                    String.format("%.2f", samples / (double) model.manifest().sampleRate()));
        }
    }

    /** One batched call; if the model rejects the batch, row by row so only bad rows fail. */
    private List<SynthesisOutput> infer(List<SegmentTask> tasks, List<SynthesisInput> rows, BooleanSupplier running) {
        try {
            return model.synthesize(rows);
        } catch (FatalException | IllegalArgumentException | IllegalStateException e) {
            if (rows.size() == 1) {
                fail(tasks.get(0), "synthesis failed: " + e.getMessage(), running);
                List<SynthesisOutput> none = new ArrayList<>();
                none.add(null);
                return none;
            }
            log.warn("batch of {} rejected ({}); retrying row by row", rows.size(), e.getMessage());
            List<SynthesisOutput> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                out.add(infer(List.of(tasks.get(i)), List.of(rows.get(i)), running).get(0));
            }
            return out;
        }
    }

    private void fail(SegmentTask t, String reason, BooleanSupplier running) {
        log.warn("job {} segment {} failed: {}", t.jobId(), t.index(), reason);
        retry(() -> {
            deadLetters.send(t, reason);
            return jobs.markFailed(t.jobId(), reason);
        }, running);
    }

    private <T> T retry(java.util.function.Supplier<T> op, BooleanSupplier running) {
        long wait = backoffMs;
        while (true) {
            try {
                return op.get();
            } catch (RetriableException e) {
                if (!running.getAsBoolean()) {
                    throw new Stopped();
                }
                log.warn("retrying in {} ms: {}", wait, e.getMessage());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new Stopped();
                }
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }
}
