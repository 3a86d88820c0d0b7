package dev.ttscluster.worker.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.FatalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The manifest of a model bundle ({@code models/<name>/manifest.json}): what the TorchScript file is
 * and how to feed it. Its {@code version} is the content hash of the model file and is verified on
 * load, so a cache key that includes it always names the exact weights.
 *
 * <p>The manifest's one schema is {@code models/manifest.schema.json} (JSON Schema 2020-12), built into the worker's
 * jar as {@value #SCHEMA_RESOURCE}; the Python tools that write manifests check against the same file. A manifest
 * that violates it is refused at load with a {@link FatalException} naming each offending field.
 *
 * <p>Immutable and thread-safe; {@link #load} may run on any thread (the schema is read once, on first use).
 *
 * @param name bundle name
 * @param version first 16 hex digits of the model file's SHA-256
 * @param file TorchScript file name inside the bundle
 * @param sampleRate output sample rate
 * @param hopLength samples per acoustic frame
 * @param frontend text frontend the phone ids come from (e.g. {@code graphemes})
 * @param phoneSet symbols by id; id 0 is padding
 * @param speakers voices by speaker id
 * @param producesSpeech false for placeholder bundles
 * @param maxPhones most phone ids one item may carry
 * @param fp16File optional TorchScript file of the same model in half precision (float inputs as float16), run on
 *                 a GPU; null when the bundle has none
 * @param vocoder what turns the model's mels into samples in {@code file} (e.g. {@code neural}, {@code griffin-lim-8})
 * @param variants other exports of the same voices a worker may run instead ({@code TTS_WORKER_MODEL_VARIANT}),
 *                 by name (e.g. {@code int8}, {@code griffin-lim}); empty when the bundle has none
 * @param variant the variant this manifest describes: {@code default} for the bundle's own {@code file}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("file") String file,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("hop_length") int hopLength,
        @JsonProperty("frontend") String frontend,
        @JsonProperty("phone_set") List<String> phoneSet,
        @JsonProperty("speakers") List<String> speakers,
        @JsonProperty("produces_speech") boolean producesSpeech,
        @JsonProperty("max_phones") int maxPhones,
        @JsonProperty("fp16_file") String fp16File,
        @JsonProperty("vocoder") String vocoder,
        @JsonProperty("variants") Map<String, Variant> variants,
        @JsonProperty("variant") String variant) {

    /** The name of the bundle's own {@code file}. */
    public static final String DEFAULT_VARIANT = "default";

    /** Where the worker's jar holds {@code models/manifest.schema.json} (copied there by worker/pom.xml). */
    static final String SCHEMA_RESOURCE = "dev/ttscluster/worker/inference/manifest.schema.json";

    /**
     * Another export of the bundle's model.
     *
     * @param file its TorchScript file inside the bundle
     * @param version first 16 hex digits of its SHA-256 (checked on load)
     * @param vocoder its vocoder
     * @param precision its weights' precision (e.g. {@code fp32}, {@code int8})
     * @param device where it is meant to run ({@code cpu}, {@code gpu} or {@code any})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Variant(
            @JsonProperty("file") String file,
            @JsonProperty("version") String version,
            @JsonProperty("vocoder") String vocoder,
            @JsonProperty("precision") String precision,
            @JsonProperty("device") String device) {}

    /** As {@link #load(Path, String)} with the bundle's own file. */
    public static ModelManifest load(Path dir) {
        return load(dir, "");
    }

    /**
     * Reads and checks {@code dir/manifest.json}, describing {@code variant} (blank or {@value #DEFAULT_VARIANT}:
     * the bundle's own file): the result's {@code file}, {@code version} and {@code vocoder} are the variant's.
     *
     * @throws FatalException when the manifest is missing, is no JSON or violates the manifest schema (the message
     *     names each offending field), names an {@code fp16_file} that is not there, the bundle has no such variant,
     *     or the model file's hash does not match its version
     */
    public static ModelManifest load(Path dir, String variant) {
        Path path = dir.resolve("manifest.json");
        ModelManifest m;
        try {
            JsonNode tree = Json.MAPPER.readTree(path.toFile());
            checkSchema(path, tree);
            m = Json.MAPPER.treeToValue(tree, ModelManifest.class);
        } catch (IOException e) {
            throw new FatalException("cannot read model manifest " + path + ": " + e.getMessage(), e);
        }
        if (m.fp16File() != null && !Files.isRegularFile(dir.resolve(m.fp16File()))) {
            throw new FatalException(
                    "model manifest " + path + " names fp16_file " + m.fp16File() + ", which is not there");
        }
        Map<String, Variant> variants = m.variants() == null ? Map.of() : Map.copyOf(m.variants());
        String name = variant == null || variant.isBlank() ? DEFAULT_VARIANT : variant.strip();
        if (!name.equals(DEFAULT_VARIANT)) {
            Variant v = variants.get(name);
            if (v == null) {
                throw new FatalException("model bundle " + dir + " has no variant '" + name + "'; it has "
                        + new TreeSet<>(variants.keySet()) + " besides " + DEFAULT_VARIANT);
            }
            m = new ModelManifest(
                    m.name(),
                    v.version(),
                    v.file(),
                    m.sampleRate(),
                    m.hopLength(),
                    m.frontend(),
                    m.phoneSet(),
                    m.speakers(),
                    m.producesSpeech(),
                    m.maxPhones(),
                    null,
                    v.vocoder() == null ? m.vocoder() : v.vocoder(),
                    variants,
                    name);
        } else {
            m = new ModelManifest(
                    m.name(),
                    m.version(),
                    m.file(),
                    m.sampleRate(),
                    m.hopLength(),
                    m.frontend(),
                    m.phoneSet(),
                    m.speakers(),
                    m.producesSpeech(),
                    m.maxPhones(),
                    m.fp16File(),
                    m.vocoder(),
                    variants,
                    DEFAULT_VARIANT);
        }
        String hash = sha256(dir.resolve(m.file()));
        if (!hash.startsWith(m.version())) {
            throw new FatalException("model file " + m.file() + " has hash " + hash.substring(0, 16)
                    + " but the manifest says version " + m.version());
        }
        return m;
    }

    /**
     * Checks a manifest's JSON against the manifest schema.
     *
     * @throws FatalException naming every field that violates it (e.g. {@code /speakers}, or the missing property)
     */
    static void checkSchema(Path path, JsonNode manifest) {
        List<com.networknt.schema.Error> errors = schema().validate(manifest);
        if (!errors.isEmpty()) {
            throw new FatalException("model manifest " + path + " violates the bundle manifest schema"
                    + " (models/manifest.schema.json): "
                    + errors.stream().map(ModelManifest::describe).distinct().collect(Collectors.joining("; ")));
        }
    }

    /** "/field/path: what is wrong" (a missing or unknown field is named in the second part), as the Python tools say. */
    private static String describe(com.networknt.schema.Error error) {
        String at = error.getInstanceLocation() == null
                ? ""
                : error.getInstanceLocation().toString();
        return (at.isEmpty() ? "(top level)" : at) + ": " + error.getMessage();
    }

    private static final Object SCHEMA_LOCK = new Object();
    private static Schema schema; // guarded by SCHEMA_LOCK

    /** The manifest schema, read from the worker's jar on first use. */
    private static Schema schema() {
        synchronized (SCHEMA_LOCK) {
            if (schema == null) {
                if (ModelManifest.class.getClassLoader().getResource(SCHEMA_RESOURCE) == null) {
                    throw new FatalException("the worker's classpath lacks the bundle manifest schema "
                            + SCHEMA_RESOURCE + " (worker/pom.xml copies it from models/manifest.schema.json)");
                }
                Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(SchemaLocation.of("classpath:" + SCHEMA_RESOURCE));
                s.initializeValidators(); // all of them now, so later validations only read them
                schema = s;
            }
            return schema;
        }
    }

    /** Speaker id of a voice, or -1 when the bundle does not have it. */
    public int speakerId(String voice) {
        return speakers.indexOf(voice);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new FatalException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
