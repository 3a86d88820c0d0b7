package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.frontend.GraphemePhonemizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the committed placeholder bundle through DJL's PyTorch engine (offline). */
class DjlSynthesisModelTest {
    static final Path BUNDLE =
            Path.of(System.getProperty("tts.repo.root", "..")).resolve("models/placeholder");
    static DjlSynthesisModel model;
    static GraphemePhonemizer phonemizer;

    @BeforeAll
    static void load() {
        model = DjlSynthesisModel.load(BUNDLE, 1);
        phonemizer = new GraphemePhonemizer(model.manifest().phoneSet());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private SynthesisInput row(String text, float speed) {
        return new SynthesisInput(phonemizer.ids(text), 0, speed);
    }

    @Test
    void batchedRowsEqualTheSameRowsRunAlone() {
        List<SynthesisInput> rows =
                List.of(row("Hello there.", 1f), row("A much longer sentence, with a comma.", 1.3f), row("Hi!", 0.8f));

        List<SynthesisOutput> batched = model.synthesize(rows);

        for (int i = 0; i < rows.size(); i++) {
            SynthesisOutput alone = model.synthesize(List.of(rows.get(i))).get(0);
            assertThat(batched.get(i).durations()).containsExactly(alone.durations());
            assertThat(batched.get(i).samples()).hasSameSizeAs(alone.samples());
            for (int s = 0; s < alone.samples().length; s++) {
                assertThat(batched.get(i).samples()[s])
                        .isCloseTo(alone.samples()[s], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void waveLengthIsTheSumOfDurationsInFrames() {
        SynthesisOutput o =
                model.synthesize(List.of(row("Twenty characters ok", 1f))).get(0);

        long frames = java.util.Arrays.stream(o.durations()).sum();
        assertThat(o.durations()).hasSize(phonemizer.ids("Twenty characters ok").length);
        assertThat(o.samples().length).isEqualTo(frames * model.manifest().hopLength());
    }

    @Test
    void fasterSpeechIsShorter() {
        SynthesisOutput normal = model.synthesize(List.of(row("The same words at two speeds.", 1f)))
                .get(0);
        SynthesisOutput fast = model.synthesize(List.of(row("The same words at two speeds.", 2f)))
                .get(0);

        assertThat(fast.samples().length).isLessThan(normal.samples().length);
    }

    @Test
    void synthesisIsDeterministic() {
        SynthesisInput r = row("Say it twice.", 1f);
        assertThat(model.synthesize(List.of(r)).get(0).samples())
                .containsExactly(model.synthesize(List.of(r)).get(0).samples());
    }

    @Test
    void nothingSpeakableGivesShortSilence() {
        SynthesisOutput o = model.synthesize(List.of(new SynthesisInput(new long[0], 0, 1f)))
                .get(0);

        assertThat(o.samples()).isNotEmpty().containsOnly(0f);
        assertThat(o.durations()).isEmpty();
    }

    @Test
    void rowsLongerThanTheModelLimitAreSynthesizedInChunks() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < model.manifest().maxPhones() * 2 + 17) {
            sb.append("words and more words ");
        }
        long[] ids = phonemizer.ids(sb.toString());

        SynthesisOutput o =
                model.synthesize(List.of(new SynthesisInput(ids, 0, 1f))).get(0);

        assertThat(o.durations()).hasSize(ids.length);
        assertThat(o.samples().length)
                .isEqualTo(java.util.Arrays.stream(o.durations()).sum()
                        * model.manifest().hopLength());
    }

    @Test
    void bundleWhoseFileDoesNotMatchItsVersionIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(BUNDLE.resolve("manifest.json"), dir.resolve("manifest.json"));
        byte[] weights = Files.readAllBytes(BUNDLE.resolve("model.pt"));
        weights[weights.length / 2] ^= 1;
        Files.write(dir.resolve("model.pt"), weights);

        assertThatThrownBy(() -> ModelManifest.load(dir))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("hash");
    }

    @Test
    void onAMachineWithoutAGpuAutoRunsOnTheCpuInFp32AndGpuRefusesToStart() {
        assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine's engine sees a GPU");
        try (DjlSynthesisModel auto = DjlSynthesisModel.load(BUNDLE, 1, DeviceChoice.AUTO)) {
            assertThat(auto.device()).isEqualTo("cpu()");
            assertThat(auto.halfPrecision()).isFalse();
            SynthesisInput r = row("Hello there.", 1f);
            assertThat(auto.synthesize(List.of(r)).get(0).samples())
                    .containsExactly(model.synthesize(List.of(r)).get(0).samples());
        }
        assertThatThrownBy(() -> DjlSynthesisModel.load(BUNDLE, 1, DeviceChoice.GPU))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("TTS_WORKER_DEVICE=gpu");
    }

    @Test
    void aManifestNamingAMissingFp16FileIsRefused(@TempDir Path dir) throws Exception {
        String manifest = Files.readString(BUNDLE.resolve("manifest.json"));
        Files.writeString(
                dir.resolve("manifest.json"), manifest.replaceFirst("\\{", "{\"fp16_file\": \"model.fp16.pt\", "));
        Files.copy(BUNDLE.resolve("model.pt"), dir.resolve("model.pt"));

        assertThatThrownBy(() -> ModelManifest.load(dir))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("fp16_file model.fp16.pt");
        assertThat(ModelManifest.load(BUNDLE).fp16File())
                .as("the placeholder has no FP16 export")
                .isNull();
    }
}
