package dev.ttscluster.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoudnessTest {
    private static short[] tone(double amplitude, int samples, int silence) {
        short[] pcm = new short[samples + silence];
        for (int i = 0; i < samples; i++) {
            pcm[silence + i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * 220 * i / 16000.0));
        }
        return pcm;
    }

    @Test
    void quietSpeechIsBroughtToTheTargetAndPausesStaySilent() {
        short[] pcm = tone(0.02, 16000, 8000);

        Loudness.Result r = Loudness.normalize(pcm);

        assertThat(r.rmsDbfsAfter()).isCloseTo(Loudness.TARGET_RMS_DBFS, within(0.5));
        assertThat(r.gainDb()).isPositive();
        for (int i = 0; i < 8000; i++) {
            assertThat(pcm[i]).isZero();
        }
    }

    @Test
    void theGainStopsWherePeaksWouldPassTheCeiling() {
        short[] pcm = tone(0.02, 16000, 0);
        pcm[100] = 30000; // one loud click

        Loudness.normalize(pcm);

        int peak = 0;
        for (short s : pcm) {
            peak = Math.max(peak, Math.abs((int) s));
        }
        assertThat(20 * Math.log10(peak / 32768.0)).isLessThanOrEqualTo(Loudness.PEAK_CEILING_DBFS + 0.01);
    }

    @Test
    void silenceIsLeftAlone() {
        short[] pcm = new short[1000];
        assertThat(Loudness.normalize(pcm).gainDb()).isZero();
    }
}
