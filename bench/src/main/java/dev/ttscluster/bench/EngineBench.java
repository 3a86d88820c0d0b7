package dev.ttscluster.bench;

import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.inference.DjlSynthesisModel;
import dev.ttscluster.worker.inference.Frontends;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisOutput;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Raw in-process throughput of a model bundle through DJL, no cluster: the same segments the
 * cluster would synthesize (workload texts through the gateway's segmenter and the worker's
 * frontend), fed in batches of a fixed size. Measures audio-seconds per second of engine time.
 */
public final class EngineBench implements AutoCloseable {
    /**
     * One batch size's result.
     *
     * @param batchSize rows per call
     * @param calls model calls timed
     * @param rows rows synthesized
     * @param audioSeconds audio produced
     * @param wallSeconds engine time
     * @param paddingRatio padded phone slots / all phone slots
     */
    public record Point(
            int batchSize, int calls, int rows, double audioSeconds, double wallSeconds, double paddingRatio) {
        public double audioSecondsPerSecond() {
            return audioSeconds / wallSeconds;
        }

        public double rtf() {
            return wallSeconds / audioSeconds;
        }

        public double msPerCall() {
            return wallSeconds * 1000 / calls;
        }

        /** Two measurements of the same thing taken as one. */
        public static Point combine(Point a, Point b) {
            int calls = a.calls() + b.calls();
            return new Point(
                    Math.round((a.rows() + b.rows()) / (float) Math.max(1, calls)),
                    calls,
                    a.rows() + b.rows(),
                    a.audioSeconds() + b.audioSeconds(),
                    a.wallSeconds() + b.wallSeconds(),
                    (a.paddingRatio() * a.rows() + b.paddingRatio() * b.rows()) / Math.max(1, a.rows() + b.rows()));
        }
    }

    private final DjlSynthesisModel model;
    private final List<long[]> segments;

    public EngineBench(Path bundle, int threads, List<String> jobTexts, int segmentMaxChars) {
        this(bundle, "", threads, jobTexts, segmentMaxChars);
    }

    /** On the bundle's export {@code variant} (blank: its default file). */
    public EngineBench(Path bundle, String variant, int threads, List<String> jobTexts, int segmentMaxChars) {
        this.model = DjlSynthesisModel.load(bundle, threads, dev.ttscluster.worker.inference.DeviceChoice.CPU, variant);
        Phonemizer ph = Frontends.forManifest(model.manifest());
        Segmenter seg = new Segmenter(segmentMaxChars);
        this.segments = new ArrayList<>();
        for (String t : jobTexts) {
            for (String s : seg.segments(t)) {
                segments.add(ph.ids(s));
            }
        }
        warmUp();
    }

    /** The first calls of a TorchScript model are slow (profiling executor): a few of every shape first. */
    private void warmUp() {
        for (int i = 0; i < 6; i++) {
            model.synthesize(rows(i * 4, 4));
            model.synthesize(rows(i, 1));
        }
    }

    /** Runs every batch size for at least {@code minRows} rows and {@code minSeconds} each. */
    public Map<Integer, Point> run(int[] batchSizes, int minRows, double minSeconds) {
        Map<Integer, Point> out = new LinkedHashMap<>();
        int[] cursor = {0};
        for (int b : batchSizes) {
            out.put(
                    b,
                    measure(
                            () -> {
                                List<long[]> batch = new ArrayList<>(b);
                                for (int i = 0; i < b; i++) {
                                    batch.add(segments.get((cursor[0]++) % segments.size()));
                                }
                                return batch;
                            },
                            minRows,
                            minSeconds));
        }
        return out;
    }

    /**
     * The engine under a batch policy with a never-empty queue (saturation): batches are formed by
     * the worker's own {@link BatchAggregator} from a buffer refilled like Kafka's polls
     * ({@code pollSize} segments at a time), so size, token budget and length grouping act as in
     * the worker.
     */
    public Point runPolicy(BatchPolicy policy, int pollSize, int minRows, double minSeconds) {
        int[] cursor = {0};
        BatchAggregator<long[]> agg = new BatchAggregator<>(
                timeout -> {
                    List<long[]> out = new ArrayList<>(pollSize);
                    for (int i = 0; i < pollSize; i++) {
                        out.add(segments.get(cursor[0]++ % segments.size()));
                    }
                    return out;
                },
                policy,
                new BatchAggregator.Sizer<>() {
                    @Override
                    public int tokens(long[] item) {
                        return item.length;
                    }

                    @Override
                    public String group(long[] item) {
                        return null;
                    }
                },
                Clock.systemUTC());
        return measure(() -> agg.next(() -> true).items(), minRows, minSeconds);
    }

    /** Synthesizes the batches {@code next} gives for at least {@code minRows} rows and {@code minSeconds}. */
    private Point measure(Supplier<List<long[]>> next, int minRows, double minSeconds) {
        int calls = 0;
        int n = 0;
        long samples = 0;
        long slots = 0;
        long real = 0;
        long t0 = System.nanoTime();
        while (n < minRows || (System.nanoTime() - t0) / 1e9 < minSeconds) {
            List<long[]> batch = next.get();
            List<SynthesisInput> rows = new ArrayList<>(batch.size());
            int longest = 0;
            for (long[] ids : batch) {
                rows.add(new SynthesisInput(ids, 0, 1.0f));
                longest = Math.max(longest, ids.length);
                real += ids.length;
            }
            slots += (long) longest * batch.size();
            for (SynthesisOutput o : model.synthesize(rows)) {
                samples += o.samples().length;
            }
            calls++;
            n += rows.size();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Point(
                calls == 0 ? 0 : Math.round(n / (float) calls),
                calls,
                n,
                samples / (double) model.manifest().sampleRate(),
                wall,
                slots == 0 ? 0 : 1.0 - real / (double) slots);
    }

    private List<SynthesisInput> rows(int from, int n) {
        List<SynthesisInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new SynthesisInput(segments.get((from + i) % segments.size()), 0, 1.0f));
        }
        return out;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Name and version of the bundle. */
    public String model() {
        return model.manifest().name() + " v" + model.manifest().version();
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * A quick look at the engine alone: {@code EngineBench [bundle] [longEvery] [MAX/TOKENS[/g],...]}
     * prints the fixed-batch curve, or one line per policy given.
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Path bundle = Path.of(args.length > 0 ? args[0] : "models/slt");
        int longEvery = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (EngineBench b =
                new EngineBench(bundle, 1, new Workload(1).mix(200, longEvery), BenchMain.SEGMENT_MAX_CHARS)) {
            java.util.function.Consumer<Point> show = p -> System.out.printf(
                    "B=%2d rows=%4d audio/s=%6.1f rtf=%.4f ms/call=%7.1f pad=%.2f%n",
                    p.batchSize(), p.rows(), p.audioSecondsPerSecond(), p.rtf(), p.msPerCall(), p.paddingRatio());
            if (args.length > 2) {
                for (String spec : args[2].split(",")) {
                    String[] f = spec.split("/");
                    int max = Integer.parseInt(f[0]);
                    show.accept(b.runPolicy(
                            new BatchPolicy(max, Integer.parseInt(f[1]), 50, f.length > 2),
                            max * BatchAggregator.LOOKAHEAD_BATCHES,
                            64,
                            5));
                }
                return;
            }
            b.run(new int[] {1, 2, 4, 8, 16, 32}, 64, 5).values().forEach(show);
        }
    }
}
