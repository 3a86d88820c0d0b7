package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttscluster.worker.frontend.Phonemizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped bundle (models/slt) through DJL: each of its voices speaks, the voices differ, and speed changes the
 * length of the audio by the model's durations while the pitch stays where it was.
 */
class ShippedVoicesTest {
    static final Path BUNDLE =
            Path.of(System.getProperty("tts.repo.root", "..")).resolve("models/slt");
    static final String TEXT = "The quick brown fox jumps over the lazy dog, and then it runs back home again.";
    static DjlSynthesisModel model;
    static Phonemizer phonemizer;

    @BeforeAll
    static void load() {
        model = DjlSynthesisModel.load(BUNDLE, 1);
        phonemizer = Frontends.forManifest(model.manifest());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private SynthesisOutput say(String voice, float speed) {
        int speaker = model.manifest().speakerId(voice);
        assertThat(speaker).as("voice " + voice).isNotNegative();
        return model.synthesize(List.of(new SynthesisInput(phonemizer.ids(TEXT), speaker, speed)))
                .get(0);
    }

    @Test
    void theBundleHasTwoVoicesThatSoundDifferent() {
        assertThat(model.manifest().speakers()).contains("slt", "kal");
        double slt = medianPitch(say("slt", 1f).samples(), model.manifest().sampleRate());
        double kal = medianPitch(say("kal", 1f).samples(), model.manifest().sampleRate());
        // slt is a female voice, kal a male one: an octave-ish apart
        assertThat(slt).as("slt's median pitch").isBetween(140.0, 300.0);
        assertThat(kal).as("kal's median pitch").isBetween(70.0, 150.0);
        assertThat(slt / kal).as("slt over kal").isGreaterThan(1.3);
    }

    @Test
    void speedScalesTheLengthByTheDurationsAndKeepsThePitch() {
        for (String voice : model.manifest().speakers()) {
            SynthesisOutput normal = say(voice, 1f);
            int rate = model.manifest().sampleRate();
            double pitch = medianPitch(normal.samples(), rate);
            for (float speed : new float[] {0.5f, 0.75f, 1.25f, 1.5f, 2f}) {
                SynthesisOutput o = say(voice, speed);
                long frames = Arrays.stream(o.durations()).sum();
                assertThat(o.samples()).as("samples are the durations' frames").hasSize((int)
                        (frames * model.manifest().hopLength()));
                double ratio = (double) normal.samples().length / o.samples().length;
                // each phone's duration is rounded to whole frames (at least one), so short phones keep a little
                assertThat(ratio).as(voice + " at " + speed + "x: length ratio").isCloseTo(speed, within(0.12 * speed));
                double p = medianPitch(o.samples(), rate);
                assertThat(p / pitch)
                        .as(voice + " at " + speed + "x: pitch against 1x")
                        .isCloseTo(1.0, within(0.12));
            }
        }
    }

    /**
     * Median fundamental frequency of the voiced 40 ms frames, by normalized autocorrelation (60-400 Hz); a frame is
     * voiced when its best lag correlates above 0.5 and it is no quieter than 30 dB below the loudest frame.
     */
    static double medianPitch(float[] x, int rate) {
        int win = rate / 25;
        int hop = win / 2;
        int minLag = rate / 400;
        int maxLag = rate / 60;
        double loudest = 0;
        for (int s = 0; s + win + maxLag < x.length; s += hop) {
            loudest = Math.max(loudest, energy(x, s, win));
        }
        List<Double> f0 = new ArrayList<>();
        for (int s = 0; s + win + maxLag < x.length; s += hop) {
            double e0 = energy(x, s, win);
            if (e0 < loudest * 1e-3) {
                continue;
            }
            double best = 0;
            int bestLag = 0;
            for (int lag = minLag; lag <= maxLag; lag++) {
                double c = 0;
                for (int i = 0; i < win; i++) {
                    c += x[s + i] * x[s + i + lag];
                }
                double r = c / Math.sqrt(e0 * energy(x, s + lag, win) + 1e-12);
                if (r > best) {
                    best = r;
                    bestLag = lag;
                }
            }
            if (best > 0.5) {
                f0.add(rate / (double) bestLag);
            }
        }
        assertThat(f0).as("voiced frames").hasSizeGreaterThan(10);
        f0.sort(Double::compare);
        return f0.get(f0.size() / 2);
    }

    private static double energy(float[] x, int s, int n) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += x[s + i] * x[s + i];
        }
        return e;
    }
}
