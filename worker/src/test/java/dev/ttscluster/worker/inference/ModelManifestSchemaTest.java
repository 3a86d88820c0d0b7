package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.FatalException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle manifest against its one schema (models/manifest.schema.json, in the worker's jar): the shipped bundles
 * pass, and a manifest that violates it is refused naming the field.
 */
class ModelManifestSchemaTest {
    static final Path MODELS =
            Path.of(System.getProperty("tts.repo.root", "..")).resolve("models");

    @TempDir
    Path dir;

    @Test
    void bothShippedBundlesPassTheSchema() {
        for (String bundle : new String[] {"slt", "placeholder"}) {
            ModelManifest m = ModelManifest.load(MODELS.resolve(bundle));
            assertThat(m.name()).isEqualTo(bundle);
        }
        assertThat(ModelManifest.load(MODELS.resolve("slt"), "int8").file()).isEqualTo("model-int8.pt");
    }

    @Test
    void theJarCarriesTheRepositorysSchemaFile() throws Exception {
        try (InputStream in = ModelManifest.class.getClassLoader().getResourceAsStream(ModelManifest.SCHEMA_RESOURCE)) {
            assertThat(in).as(ModelManifest.SCHEMA_RESOURCE).isNotNull();
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(MODELS.resolve("manifest.schema.json")));
        }
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        broken(m -> m.remove("speakers"), "speakers");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() throws Exception {
        broken(m -> m.put("sample_rate", "16000"), "sample_rate");
    }

    @Test
    void aMisspeltFieldIsRefusedByName() throws Exception {
        broken(m -> m.put("fp16file", "model.fp16.pt"), "fp16file");
    }

    @Test
    void aVariantWithoutItsVersionIsNamed() throws Exception {
        broken(m -> m.putObject("variants").putObject("int8").put("file", "model.pt"), "int8");
    }

    @Test
    void aVersionThatIsNoHashPrefixIsNamed() throws Exception {
        broken(m -> m.put("version", "v1"), "version");
    }

    /** The placeholder bundle with its manifest changed by {@code change}: loading it must fail naming {@code field}. */
    private void broken(Consumer<ObjectNode> change, String field) throws Exception {
        Path bundle = MODELS.resolve("placeholder");
        ObjectNode manifest = (ObjectNode)
                Json.MAPPER.readTree(bundle.resolve("manifest.json").toFile());
        change.accept(manifest);
        Files.writeString(dir.resolve("manifest.json"), Json.MAPPER.writeValueAsString(manifest));
        Files.copy(bundle.resolve("model.pt"), dir.resolve("model.pt"));

        assertThatThrownBy(() -> ModelManifest.load(dir))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("violates the bundle manifest schema")
                .hasMessageContaining(field);
    }
}
