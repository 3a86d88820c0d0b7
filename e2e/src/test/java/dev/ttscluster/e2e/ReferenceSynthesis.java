package dev.ttscluster.e2e;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.inference.DjlSynthesisModel;
import dev.ttscluster.worker.inference.Frontends;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster should produce for a text, computed here in-process with the same bundle,
 * segmenter and frontend, one segment at a time (no batching): the reference a job's audio is
 * checked against.
 */
final class ReferenceSynthesis {
    /**
     * How far a 16-bit sample of the cluster's audio may be from the reference: batching runs other kernels whose
     * float rounding moves a sample by a few steps (15 of 32,768 seen); a wrong, missing or doubled segment differs
     * by thousands or changes the length.
     */
    static final int TOLERANCE = 32;

    private static DjlSynthesisModel model;
    private static final Segmenter SEGMENTER =
            new Segmenter(Integer.parseInt(GatewayConfig.SEGMENT_MAX_CHARS.defaultValue()));

    private ReferenceSynthesis() {}

    private static synchronized DjlSynthesisModel model() {
        if (model == null) {
            model = DjlSynthesisModel.load(SharedCluster.repoRoot().resolve(SharedCluster.BUNDLE), 1);
        }
        return model;
    }

    /** The expected 16-bit samples of the whole job in the default voice. */
    static short[] expected(String text, double speed) {
        return expected(text, speed, SharedCluster.VOICE);
    }

    /** The expected 16-bit samples of the whole job in {@code voice}. */
    static synchronized short[] expected(String text, double speed, String voice) {
        Phonemizer ph = Frontends.forManifest(model().manifest());
        int speaker = model().manifest().speakerId(voice);
        if (speaker < 0) {
            throw new IllegalArgumentException("the bundle has no voice " + voice);
        }
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (String seg : SEGMENTER.segments(text)) {
            SynthesisOutput o = model().synthesize(List.of(new SynthesisInput(ph.ids(seg), speaker, (float) speed)))
                    .get(0);
            parts.add(o.samples());
            n += o.samples().length;
        }
        float[] all = new float[n];
        int p = 0;
        for (float[] f : parts) {
            System.arraycopy(f, 0, all, p, f.length);
            p += f.length;
        }
        return samples(Wav.encode(all, all.length, model().manifest().sampleRate()));
    }

    /** Asserts {@code actual} has exactly the reference's length and every sample within {@link #TOLERANCE}. */
    static void assertMatches(short[] actual, short[] expected, String what) {
        org.assertj.core.api.Assertions.assertThat(actual.length)
                .as("samples of " + what)
                .isEqualTo(expected.length);
        for (int s = 0; s < actual.length; s++) {
            if (Math.abs(actual[s] - expected[s]) > TOLERANCE) {
                throw new AssertionError(what + " sample " + s + ": " + actual[s] + " != " + expected[s]);
            }
        }
    }

    /** The 16-bit samples of a WAV file. */
    static short[] samples(byte[] wav) {
        Wav.Info info = Wav.parse(wav);
        ByteBuffer b = ByteBuffer.wrap(wav, info.dataOffset(), info.dataBytes()).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[(int) info.samples()];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort();
        }
        return s;
    }
}
