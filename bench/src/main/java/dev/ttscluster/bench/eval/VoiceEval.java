package dev.ttscluster.bench.eval;

import dev.ttscluster.bench.proc.ProcStatus;
import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.worker.frontend.CmuPhonemizer;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.inference.DeviceChoice;
import dev.ttscluster.worker.inference.DjlSynthesisModel;
import dev.ttscluster.worker.inference.Frontends;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a voice bundle on held-out sentences through the same Java frontend and DJL path the
 * workers use: G2P agreement with festival's own phones (when lab files are given), synthesis of
 * every sentence to OUT/ID.wav, and real-time factor at batch 1 and batch 8 (one intra-op thread,
 * like a worker), plus the process's resident memory once the model is loaded and after the runs.
 *
 * <p>usage: VoiceEval BUNDLE HELDOUT_TSV OUT_DIR [LAB_DIR] [--variant NAME] [--voice NAME]: the bundle's
 * export {@code --variant} (default: its own file) speaking as {@code --voice} (default: its first speaker).
 * Prints one {@code key: value} line per figure.
 */
public final class VoiceEval {
    private VoiceEval() {}

    record Item(String id, String text) {}

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        List<String> pos = new ArrayList<>();
        String variant = "";
        String voice = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--variant" -> variant = args[++i];
                case "--voice" -> voice = args[++i];
                default -> pos.add(args[i]);
            }
        }
        Path bundle = Path.of(pos.get(0));
        List<Item> items = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(pos.get(1)))) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                items.add(new Item(line.substring(0, tab), line.substring(tab + 1)));
            }
        }
        Path out = Files.createDirectories(Path.of(pos.get(2)));
        long before = rssMib();
        try (DjlSynthesisModel model = DjlSynthesisModel.load(bundle, 1, DeviceChoice.CPU, variant)) {
            int speaker = voice == null ? 0 : model.manifest().speakerId(voice);
            if (speaker < 0) {
                throw new IllegalArgumentException("the bundle has no voice " + voice + "; it has "
                        + model.manifest().speakers());
            }
            Phonemizer ph = Frontends.forManifest(model.manifest());
            if (pos.size() > 3 && ph instanceof CmuPhonemizer cmu) {
                agreement(cmu, items, Path.of(pos.get(3)));
            }
            List<SynthesisInput> rows = new ArrayList<>();
            for (Item it : items) {
                rows.add(new SynthesisInput(ph.ids(it.text()), speaker, 1f));
            }
            model.synthesize(rows.subList(0, Math.min(8, rows.size()))); // warm up
            long loaded = rssMib();
            double rtf8 = run(model, rows, 8, items, out);
            double rtf1 = run(model, rows, 1, null, null);
            System.out.printf(
                    "variant: %s%nvocoder: %s%nvoice: %s%nRTF batch 1: %.4f%nRTF batch 8: %.4f%n"
                            + "RSS before load MiB: %d%nRSS loaded MiB: %d%nRSS after runs MiB: %d%n",
                    model.manifest().variant(),
                    model.manifest().vocoder(),
                    model.manifest().speakers().get(speaker),
                    rtf1,
                    rtf8,
                    before,
                    loaded,
                    rssMib());
        }
    }

    private static double run(DjlSynthesisModel model, List<SynthesisInput> rows, int batch, List<Item> items, Path out)
            throws IOException {
        long nanos = 0;
        long samples = 0;
        for (int i = 0; i < rows.size(); i += batch) {
            List<SynthesisInput> b = rows.subList(i, Math.min(rows.size(), i + batch));
            long t0 = System.nanoTime();
            List<SynthesisOutput> res = model.synthesize(b);
            nanos += System.nanoTime() - t0;
            for (int k = 0; k < res.size(); k++) {
                float[] s = res.get(k).samples();
                samples += s.length;
                if (out != null) {
                    Files.write(
                            out.resolve(items.get(i + k).id() + ".wav"),
                            Wav.encode(s, s.length, model.manifest().sampleRate()));
                }
            }
        }
        return (nanos / 1e9) / (samples / (double) model.manifest().sampleRate());
    }

    private static long rssMib() {
        return ProcStatus.rssBytes(ProcessHandle.current().pid()) >> 20;
    }

    /** Share of festival's phones (pau excluded) that the Java frontend reproduces, by edit distance. */
    private static void agreement(CmuPhonemizer cmu, List<Item> items, Path labs) throws IOException {
        long ref = 0;
        long edits = 0;
        for (Item it : items) {
            Path lab = labs.resolve(it.id() + ".lab");
            if (!Files.exists(lab)) {
                continue;
            }
            List<String> festival = new ArrayList<>();
            for (String l : Files.readAllLines(lab)) {
                String p = l.split("\\s+")[0];
                if (!p.isEmpty() && !p.equals("pau")) {
                    festival.add(p);
                }
            }
            List<String> java = new ArrayList<>(cmu.phones(it.text()));
            java.removeIf("pau"::equals);
            ref += festival.size();
            edits += distance(festival, java);
        }
        System.out.printf("G2P agreement with festival: %.2f%% of %d phones%n", 100.0 * (ref - edits) / ref, ref);
    }

    private static int distance(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            int[] cur = new int[b.size() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = Math.min(
                        Math.min(prev[j] + 1, cur[j - 1] + 1),
                        prev[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.size()];
    }
}
