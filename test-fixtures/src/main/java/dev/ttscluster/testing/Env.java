package dev.ttscluster.testing;

import dev.ttscluster.common.config.ConfigKey;
import dev.ttscluster.common.config.InfraConfig;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An environment map for the configs' {@code fromEnv(Map)} in tests, built by chaining pairs:
 * {@code Env.of("TTS_X", "1").with("TTS_Y", "2")}. It is a {@link Map} itself, so it is passed to
 * {@code fromEnv} as it is. Immutable and thread-safe: {@link #with} returns a new map, later pairs
 * replacing earlier ones of the same key.
 *
 * <p>Every method throws {@link NullPointerException} for a null key or value and
 * {@link IllegalArgumentException} for an odd number of {@code keysAndValues}.
 */
public final class Env extends AbstractMap<String, String> {
    private static final Env EMPTY = new Env(Map.of());

    private final Map<String, String> entries;

    private Env(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** No variables at all. */
    public static Env empty() {
        return EMPTY;
    }

    /** The given pairs: {@code of("TTS_A", "1", "TTS_B", "2")}. */
    public static Env of(String... keysAndValues) {
        return EMPTY.and(keysAndValues);
    }

    /**
     * The least every service config accepts: an S3 access and secret key ({@code ak}/{@code sk}),
     * the two keys of {@link InfraConfig} without defaults.
     */
    public static Env s3Credentials() {
        return EMPTY.with(InfraConfig.S3_ACCESS_KEY, "ak").with(InfraConfig.S3_SECRET_KEY, "sk");
    }

    /** This map and {@code key=value}. */
    public Env with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(entries);
        m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new Env(m);
    }

    /** This map and the key's name set to {@code String.valueOf(value)}. */
    public Env with(ConfigKey<?> key, Object value) {
        return with(key.name(), String.valueOf(Objects.requireNonNull(value, "value")));
    }

    /** This map and every entry of {@code more}. */
    public Env with(Map<String, String> more) {
        Env e = this;
        for (Map.Entry<String, String> x : more.entrySet()) {
            e = e.with(x.getKey(), x.getValue());
        }
        return e;
    }

    /** This map and the given pairs: {@code and("TTS_A", "1", "TTS_B", "2")}. */
    public Env and(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "keys and values come in pairs; got " + keysAndValues.length + " strings");
        }
        Env e = this;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            e = e.with(keysAndValues[i], keysAndValues[i + 1]);
        }
        return e;
    }

    /** This map without {@code key}. */
    public Env without(String key) {
        Map<String, String> m = new LinkedHashMap<>(entries);
        m.remove(key);
        return new Env(m);
    }

    /** This map without the key's name. */
    public Env without(ConfigKey<?> key) {
        return without(key.name());
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public String get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }
}
