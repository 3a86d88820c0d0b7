package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.error.FatalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
    @TempDir
    Path dir;

    private String write(String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content);
        return ModelManifest.sha256(dir.resolve(file)).substring(0, 16);
    }

    private void manifest(String defaultVersion, String variants) throws Exception {
        Files.writeString(
                dir.resolve("manifest.json"), """
                {"name": "t", "version": "%s", "file": "model.pt", "sample_rate": 16000, "hop_length": 200,
                 "frontend": "cmu-arpabet", "phone_set": ["<pad>", "pau"], "speakers": ["a", "b"],
                 "produces_speech": true, "max_phones": 10, "vocoder": "neural", "variants": %s}
                """.formatted(defaultVersion, variants), StandardCharsets.UTF_8);
    }

    @Test
    void aVariantBringsItsOwnFileVersionAndVocoder() throws Exception {
        String main = write("model.pt", "fp32 weights");
        String gl = write("model-gl.pt", "griffin-lim weights");
        manifest(main, """
                {"griffin-lim": {"file": "model-gl.pt", "version": "%s", "vocoder": "griffin-lim-8", "precision": "fp32"}}
                """.formatted(gl));

        ModelManifest d = ModelManifest.load(dir);
        ModelManifest v = ModelManifest.load(dir, "griffin-lim");

        assertThat(d.variant()).isEqualTo(ModelManifest.DEFAULT_VARIANT);
        assertThat(d.file()).isEqualTo("model.pt");
        assertThat(d.version()).isEqualTo(main);
        assertThat(d.vocoder()).isEqualTo("neural");
        assertThat(v.variant()).isEqualTo("griffin-lim");
        assertThat(v.file()).isEqualTo("model-gl.pt");
        assertThat(v.version())
                .as("cached segments are keyed by the variant's own version")
                .isEqualTo(gl);
        assertThat(v.vocoder()).isEqualTo("griffin-lim-8");
        assertThat(v.speakers()).containsExactly("a", "b");
        assertThat(ModelManifest.load(dir, " ").file()).isEqualTo("model.pt");
    }

    @Test
    void anUnknownVariantOrAWrongHashFailsAtLoad() throws Exception {
        String main = write("model.pt", "fp32 weights");
        write("model-int8.pt", "int8 weights");
        manifest(main, """
                {"int8": {"file": "model-int8.pt", "version": "0000000000000000"}}
                """);

        assertThatThrownBy(() -> ModelManifest.load(dir, "fp16"))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("no variant 'fp16'")
                .hasMessageContaining("[int8]");
        assertThatThrownBy(() -> ModelManifest.load(dir, "int8"))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("model-int8.pt")
                .hasMessageContaining("0000000000000000");
    }
}
