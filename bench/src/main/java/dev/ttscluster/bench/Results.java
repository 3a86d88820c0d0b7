package dev.ttscluster.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured; written as JSON (docs/bench/results.json, docs/bench/LABEL.json) and rendered
 * into docs/BENCHMARKS.md. Immutable records only. One file on purpose, though longer than most: together the records
 * are the schema of the saved JSON, so a reader finds every field of it in one place (the secondary constructors read
 * files saved before a part existed).
 */
public final class Results {
    private Results() {}

    /**
     * One step of open-loop load.
     *
     * @param offeredJobsPerSecond arrival rate asked for
     * @param jobs jobs submitted
     * @param succeeded jobs that succeeded before the drain limit
     * @param completedJobsPerSecond succeeded jobs / (last finish - first submit)
     * @param audioSecondsPerSecond audio of succeeded jobs / the same span
     * @param latencyP50 submit to audio ready, seconds
     * @param latencyP95 same, 95th percentile
     * @param latencyP99 same, 99th percentile
     * @param firstAudioP50 submit to first segment fetchable, seconds
     * @param firstAudioP95 same, 95th percentile
     * @param shortP95 95th percentile latency of short jobs only
     * @param sustained kept up: every job done, completions kept pace with arrivals, p95 within the SLO
     * @param notSucceeded jobs that did not succeed, by what happened to them
     * @param attempt 1, or 2 for the one repeat a step gets when its first attempt was not sustained
     */
    public record Step(
            double offeredJobsPerSecond,
            int jobs,
            int succeeded,
            double completedJobsPerSecond,
            double audioSecondsPerSecond,
            double latencyP50,
            double latencyP95,
            double latencyP99,
            double firstAudioP50,
            double firstAudioP95,
            double shortP95,
            boolean sustained,
            Map<String, Integer> notSucceeded,
            int attempt) {}

    /**
     * Throughput with a backlog: every job submitted at once.
     *
     * @param jobs jobs submitted
     * @param succeeded jobs that succeeded
     * @param seconds first submit to last finish
     * @param jobsPerSecond succeeded / seconds
     * @param audioSecondsPerSecond audio produced / seconds
     * @param engineBusy share of the span the worker spent in the model
     * @param cpuPerAudioSecond CPU seconds each process spent per second of audio produced
     * @param machineBusy share of all cores busy during the backlog
     */
    public record Saturation(
            int jobs,
            int succeeded,
            double seconds,
            double jobsPerSecond,
            double audioSecondsPerSecond,
            double engineBusy,
            Map<String, Double> cpuPerAudioSecond,
            double machineBusy) {}

    /**
     * What the worker's own metrics said over the whole mode run.
     *
     * @param batches model calls
     * @param meanBatchSize segments per call
     * @param paddingRatio padded phone slots that were padding
     * @param meanBatchWaitMs mean time from a batch's oldest segment arriving to the batch closing
     * @param meanInferenceMs mean model time per batch
     * @param meanStoreMs mean time to make a batch durable
     * @param closedBy batches by what closed them
     */
    public record WorkerStats(
            long batches,
            double meanBatchSize,
            double paddingRatio,
            double meanBatchWaitMs,
            double meanInferenceMs,
            double meanStoreMs,
            Map<String, Long> closedBy) {}

    /**
     * One serving mode on the whole cluster.
     *
     * @param name mode name
     * @param description how it serves
     * @param env worker configuration used
     * @param engine raw engine throughput of the same segments under the same batch policy, audio-s/s
     * @param saturation throughput with a backlog
     * @param efficiency saturation audio-s/s / engine audio-s/s
     * @param steps open-loop steps, in increasing load
     * @param maxSustainedJobsPerSecond highest offered rate that was sustained (0 if none)
     * @param workerRssMb worker peak resident memory
     * @param gatewayRssMb gateway peak resident memory
     * @param worker the worker's own metrics
     */
    public record Mode(
            String name,
            String description,
            Map<String, String> env,
            EngineBench.Point engine,
            Saturation saturation,
            double efficiency,
            List<Step> steps,
            double maxSustainedJobsPerSecond,
            double workerRssMb,
            double gatewayRssMb,
            WorkerStats worker) {}

    /**
     * Job latencies of a group of jobs, submit to audio ready, seconds.
     *
     * @param jobs jobs in the group
     * @param mean mean latency
     * @param p50 median
     * @param p95 95th percentile
     */
    public record Latency(int jobs, double mean, double p50, double p95) {}

    /**
     * The repeated-phrase workload on one cluster, with or without the segment cache.
     *
     * @param name "cache" or "no cache"
     * @param env worker configuration used
     * @param jobs jobs submitted
     * @param succeeded jobs that succeeded
     * @param all latency of every succeeded job
     * @param fullyCached jobs whose every segment came from the cache
     * @param noneCached jobs none of whose segments came from the cache
     * @param oneSegmentCached one-segment jobs served from the cache (the end-to-end latency of a cached segment)
     * @param oneSegmentSynthesized one-segment jobs synthesized
     * @param segmentsBySource segments stored during the load, by where their audio came from (worker metrics)
     * @param workerMeanMsBySource mean time from poll to stored and counted in the worker, by source, ms
     * @param sharedLookups round trips to the shared cache
     * @param meanLookupMs mean time of one such round trip, ms
     * @param sharedHits segments found in the shared cache
     * @param meanUploadMs mean S3 upload of one segment's audio during the load (both sources), ms
     */
    public record CacheMode(
            String name,
            Map<String, String> env,
            int jobs,
            int succeeded,
            Latency all,
            Latency fullyCached,
            Latency noneCached,
            Latency oneSegmentCached,
            Latency oneSegmentSynthesized,
            Map<String, Long> segmentsBySource,
            Map<String, Double> workerMeanMsBySource,
            long sharedLookups,
            double meanLookupMs,
            long sharedHits,
            double meanUploadMs) {
        /** Segments served without their own model row, per segment stored, 0..1. */
        public double hitRate() {
            long all = segmentsBySource.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            long model = segmentsBySource.getOrDefault("model", 0L);
            return all == 0 ? 0 : (all - model) / (double) all;
        }
    }

    /**
     * The segment cache measured on the repeated-phrase workload: the same arrivals with and without it.
     *
     * @param date when it ran
     * @param workload what the jobs were
     * @param ratePerSecond offered jobs per second (open loop, Poisson)
     * @param seconds length of the load
     * @param modes with the cache, then without
     */
    public record CacheRun(String date, String workload, double ratePerSecond, double seconds, List<CacheMode> modes) {}

    /**
     * Interactive latency while a book saturates the worker.
     *
     * @param date when it ran
     * @param ratePerSecond interactive jobs per second in both steps
     * @param seconds length of each step
     * @param bookChars characters of the book
     * @param bookSegments segments of the book
     * @param segmentsDoneBefore book segments done when the loaded step began
     * @param segmentsDoneAfter book segments done when it ended
     * @param bookStatusAfter the book's status when the step ended (running: it kept the worker busy)
     * @param idle interactive latency with nothing else to do
     * @param withBook interactive latency while the book runs
     * @param env worker configuration used
     * @param machineBusyIdle share of all cores busy during the idle step
     * @param machineBusyWithBook share of all cores busy while the book ran
     * @param workerCoresWithBook cores the worker process used on average while the book ran
     */
    public record BookRun(
            String date,
            double ratePerSecond,
            double seconds,
            long bookChars,
            long bookSegments,
            long segmentsDoneBefore,
            long segmentsDoneAfter,
            String bookStatusAfter,
            Latency idle,
            Latency withBook,
            Map<String, String> env,
            double machineBusyIdle,
            double machineBusyWithBook,
            double workerCoresWithBook) {}

    /**
     * One repeat of the load-step section.
     *
     * @param repeat 1-based
     * @param model bundle name and version it ran
     * @param modes per-request and batched
     */
    public record LoadRepeat(int repeat, String model, List<Mode> modes) {}

    /**
     * The load-step section run alone, repeated ({@code --only load}).
     *
     * @param date when
     * @param commit the repository's commit
     * @param arguments the harness's arguments
     * @param options the cluster options every repeat used
     * @param repeats each repeat
     */
    public record LoadRun(
            String date, String commit, String arguments, ClusterBench.Options options, List<LoadRepeat> repeats) {}

    /**
     * What one part of the report measured: the day, the commit and the bundle, so that a part run again alone
     * ({@code --only}) names its own.
     *
     * @param date day of the run
     * @param commit the repository's commit ("+dirty" with uncommitted changes)
     * @param model bundle name and version
     */
    public record Provenance(String date, String commit, String model) {}

    /**
     * A whole run.
     *
     * @param date when
     * @param command how it was started
     * @param machine what it ran on
     * @param model bundle name and version
     * @param workload what the jobs were
     * @param sloSeconds p95 latency limit of a sustained step
     * @param engineCurve raw engine throughput by fixed batch size (arrival order, no grouping)
     * @param modes per-request and batched
     * @param gpu the GPU batch curve, or a sentence saying why there is none
     * @param cache the segment cache on the repeated-phrase workload (null in runs from before it)
     * @param book interactive latency while a book runs (null in runs from before it)
     * @param scaling 1 worker against 2 (null in runs from before it)
     * @param variants the bundle's variants (null in runs from before it)
     * @param soak the memory soak (null in runs from before it)
     * @param load the load steps repeated ({@code --only load}; null when never run)
     * @param loadBefore the repeated load steps {@code load} is compared with ({@code --compare-load}; else null)
     * @param provenance by part ("run" for the whole run, then as {@code --only} names them), the day, commit and
     *                   bundle it measured (absent in older runs)
     */
    public record Run(
            String date,
            String command,
            Map<String, String> machine,
            String model,
            String workload,
            double sloSeconds,
            List<EngineBench.Point> engineCurve,
            List<Mode> modes,
            String gpu,
            CacheRun cache,
            BookRun book,
            ScalingRun scaling,
            VariantsRun variants,
            SoakRun soak,
            LoadRun load,
            LoadRun loadBefore,
            Map<String, Provenance> provenance) {
        /** A run without the repeated load steps and provenance (older saved runs have none). */
        public Run(
                String date,
                String command,
                Map<String, String> machine,
                String model,
                String workload,
                double sloSeconds,
                List<EngineBench.Point> engineCurve,
                List<Mode> modes,
                String gpu,
                CacheRun cache,
                BookRun book,
                ScalingRun scaling,
                VariantsRun variants,
                SoakRun soak) {
            this(
                    date,
                    command,
                    machine,
                    model,
                    workload,
                    sloSeconds,
                    engineCurve,
                    modes,
                    gpu,
                    cache,
                    book,
                    scaling,
                    variants,
                    soak,
                    null,
                    null,
                    null);
        }

        /** A run without the variants and soak parts (older saved runs have none). */
        public Run(
                String date,
                String command,
                Map<String, String> machine,
                String model,
                String workload,
                double sloSeconds,
                List<EngineBench.Point> engineCurve,
                List<Mode> modes,
                String gpu,
                CacheRun cache,
                BookRun book,
                ScalingRun scaling) {
            this(
                    date,
                    command,
                    machine,
                    model,
                    workload,
                    sloSeconds,
                    engineCurve,
                    modes,
                    gpu,
                    cache,
                    book,
                    scaling,
                    null,
                    null);
        }

        /** A run without the scaling part (older saved runs have none). */
        public Run(
                String date,
                String command,
                Map<String, String> machine,
                String model,
                String workload,
                double sloSeconds,
                List<EngineBench.Point> engineCurve,
                List<Mode> modes,
                String gpu,
                CacheRun cache,
                BookRun book) {
            this(date, command, machine, model, workload, sloSeconds, engineCurve, modes, gpu, cache, book, null);
        }

        /** What {@code part} measured, or null when this run did not record it. */
        public Provenance provenanceOf(String part) {
            return provenance == null ? null : provenance.get(part);
        }

        /** This run with its repeated load steps and their baseline ({@code loadBefore}, may be null) replaced. */
        public Run withLoad(LoadRun newLoad, LoadRun newLoadBefore) {
            return new Run(
                    date,
                    command,
                    machine,
                    model,
                    workload,
                    sloSeconds,
                    engineCurve,
                    modes,
                    gpu,
                    cache,
                    book,
                    scaling,
                    variants,
                    soak,
                    newLoad,
                    newLoadBefore,
                    provenance);
        }

        /**
         * This run with the parts that are not null in the arguments replaced and their provenance set to
         * {@code ran}.
         */
        public Run withParts(
                CacheRun newCache,
                BookRun newBook,
                ScalingRun newScaling,
                VariantsRun newVariants,
                SoakRun newSoak,
                Provenance ran) {
            Map<String, Provenance> p = new java.util.LinkedHashMap<>(provenance == null ? Map.of() : provenance);
            java.util.function.BiConsumer<String, Object> mark = (part, value) -> {
                if (value != null) {
                    p.put(part, ran);
                }
            };
            mark.accept("cache", newCache);
            mark.accept("book", newBook);
            mark.accept("scaling", newScaling);
            mark.accept("variants", newVariants);
            mark.accept("soak", newSoak);
            return new Run(
                    date,
                    command,
                    machine,
                    model,
                    workload,
                    sloSeconds,
                    engineCurve,
                    modes,
                    gpu,
                    newCache != null ? newCache : cache,
                    newBook != null ? newBook : book,
                    newScaling != null ? newScaling : scaling,
                    newVariants != null ? newVariants : variants,
                    newSoak != null ? newSoak : soak,
                    load,
                    loadBefore,
                    p);
        }
    }

    /**
     * One worker count's backlog in the scaling part.
     *
     * @param workers worker processes (one inference thread each)
     * @param saturation jobs, span and throughput of the backlog
     * @param workerCores CPU seconds of all workers per second of the backlog
     * @param segmentsPerWorker segments each worker synthesized or served (from its metrics)
     */
    public record ScalingPoint(
            int workers, Saturation saturation, double workerCores, List<Double> segmentsPerWorker) {}

    /**
     * The same backlog on 1 and on 2 workers.
     *
     * @param date day of the run
     * @param jobs jobs in the backlog
     * @param points one per worker count, in order
     * @param env the workers' configuration
     */
    public record ScalingRun(String date, int jobs, List<ScalingPoint> points, Map<String, String> env) {
        /** Throughput (audio-seconds per second) of the last point over the first. */
        public double ratio() {
            return points.get(points.size() - 1).saturation().audioSecondsPerSecond()
                    / points.get(0).saturation().audioSecondsPerSecond();
        }
    }

    /**
     * One voice's quality figures of a variant, from the bundle's evaluation (models/slt/tools/eval).
     *
     * @param wer pocketsphinx word error on the held-out sentences, percent
     * @param teacherWer the same recognizer on the teacher's audio of those sentences, percent
     * @param mcdDb mel-cepstral distortion against the teacher's audio, DTW-aligned, dB
     */
    public record Quality(double wer, double teacherWer, double mcdDb) {}

    /**
     * One export of the bundle.
     *
     * @param variant its name ({@code default}: the bundle's own file)
     * @param vocoder its vocoder
     * @param rtfBatch1 engine seconds per audio-second at batch 1 (1 intra-op thread, warm)
     * @param rtfBatch8 the same at batch 8
     * @param engineRssBytes resident memory of the engine-only JVM after its curve
     * @param workerRssBytes resident memory of a real worker running it, after its warm-up jobs
     * @param workerAudioSecondsPerSecond that worker's end-to-end throughput on a backlog
     * @param quality by voice, from the evaluation; empty when the evaluation is of another version
     */
    public record VariantPoint(
            String variant,
            String vocoder,
            double rtfBatch1,
            double rtfBatch8,
            long engineRssBytes,
            long workerRssBytes,
            double workerAudioSecondsPerSecond,
            Map<String, Quality> quality) {}

    /**
     * The bundle's variants side by side.
     *
     * @param date day of the run
     * @param bundleVersion the bundle's default version
     * @param qualitySource where the quality figures come from (the evaluation's date and sentences), or why none
     * @param backlogJobs jobs in each worker's backlog
     * @param points one per variant
     */
    public record VariantsRun(
            String date, String bundleVersion, String qualitySource, int backlogJobs, List<VariantPoint> points) {}

    /**
     * One sample of the soak.
     *
     * @param seconds since the soak's load started
     * @param rssBytes the worker's resident memory
     * @param heapUsedBytes its JVM heap in use (from its metrics)
     * @param heapCommittedBytes the heap the JVM has committed (from its metrics; NaN in older runs)
     * @param nonHeapUsedBytes the JVM's non-heap memory in use: metaspace, code cache (NaN in older runs)
     * @param segments segments it has handled so far
     */
    public record SoakSample(
            double seconds,
            long rssBytes,
            double heapUsedBytes,
            double heapCommittedBytes,
            double nonHeapUsedBytes,
            double segments) {
        /** A sample without the committed heap and non-heap figures (older saved runs). */
        public SoakSample(double seconds, long rssBytes, double heapUsedBytes, double segments) {
            this(seconds, rssBytes, heapUsedBytes, Double.NaN, Double.NaN, segments);
        }

        /** Resident memory outside the committed heap (libtorch, JIT, stacks, metaspace); NaN when unknown. */
        public double outsideHeapBytes() {
            return Double.isNaN(heapCommittedBytes) || heapCommittedBytes <= 0
                    ? Double.NaN
                    : rssBytes - heapCommittedBytes;
        }
    }

    /**
     * A long run of mixed jobs on one worker, its memory sampled all along.
     *
     * @param date day of the run
     * @param variant the worker's model variant
     * @param ratePerSecond offered jobs per second (Poisson)
     * @param seconds length of the load
     * @param jobs jobs submitted
     * @param succeeded jobs that succeeded
     * @param mix what the jobs were
     * @param samples the memory over time, the first after the warm-up
     * @param jvmOptions the worker's heap options (empty in older runs: -Xmx only, the heap grew as needed)
     */
    public record SoakRun(
            String date,
            String variant,
            double ratePerSecond,
            double seconds,
            int jobs,
            int succeeded,
            String mix,
            List<SoakSample> samples,
            String jvmOptions) {
        /** A run from before the heap options were recorded. */
        public SoakRun(
                String date,
                String variant,
                double ratePerSecond,
                double seconds,
                int jobs,
                int succeeded,
                String mix,
                List<SoakSample> samples) {
            this(date, variant, ratePerSecond, seconds, jobs, succeeded, mix, samples, "");
        }

        /** Resident-memory growth over the second half of the samples by least squares, MiB per minute. */
        public double rssSlopeMibPerMinute() {
            return slope(p -> p.rssBytes());
        }

        /** Growth of the memory outside the committed heap over the second half, MiB per minute; NaN when unknown. */
        public double outsideHeapSlopeMibPerMinute() {
            return slope(SoakSample::outsideHeapBytes);
        }

        private double slope(java.util.function.ToDoubleFunction<SoakSample> bytes) {
            List<SoakSample> half = samples.subList(samples.size() / 2, samples.size());
            if (half.size() < 2) {
                return Double.NaN;
            }
            double mx = half.stream().mapToDouble(SoakSample::seconds).average().orElse(0);
            double my = half.stream().mapToDouble(bytes).average().orElse(0);
            double num = 0;
            double den = 0;
            for (SoakSample p : half) {
                num += (p.seconds() - mx) * (bytes.applyAsDouble(p) - my);
                den += (p.seconds() - mx) * (p.seconds() - mx);
            }
            return den == 0 ? 0 : num / den * 60 / (1024.0 * 1024.0);
        }
    }
}
