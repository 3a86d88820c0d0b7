package dev.ttscluster.common.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: its environment variable name, documentation, default, parser and validator
 * kept together (in the manner of Kafka's ConfigDef). Immutable and thread-safe.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {
    private final String name;
    private final String doc;
    private final String defaultValue;
    private final Function<String, T> parser;
    private final Predicate<T> validator;
    private final String rule;

    private ConfigKey(
            String name,
            String doc,
            String defaultValue,
            Function<String, T> parser,
            Predicate<T> validator,
            String rule) {
        this.name = Objects.requireNonNull(name);
        this.doc = Objects.requireNonNull(doc);
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.validator = validator;
        this.rule = rule;
    }

    /** A string key; blank values are refused. */
    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, doc, defaultValue, s -> s, s -> !s.isBlank(), "non-blank");
    }

    /** An optional string key: empty (the default) means "not set"; the caller derives a value. */
    public static ConfigKey<String> optionalString(String name, String doc) {
        return new ConfigKey<>(name, doc, "", s -> s, s -> true, "optional");
    }

    /** An integer key accepted within [min, max]. */
    public static ConfigKey<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(
                name,
                doc,
                Integer.toString(defaultValue),
                Integer::parseInt,
                v -> v >= min && v <= max,
                "an integer in [" + min + ", " + max + "]");
    }

    /** A long key accepted within [min, max]. */
    public static ConfigKey<Long> longInt(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(
                name,
                doc,
                Long.toString(defaultValue),
                Long::parseLong,
                v -> v >= min && v <= max,
                "an integer in [" + min + ", " + max + "]");
    }

    /** A boolean key: true or false. */
    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                doc,
                Boolean.toString(defaultValue),
                s -> {
                    if (s.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (s.equalsIgnoreCase("false")) {
                        return false;
                    }
                    throw new IllegalArgumentException("not a boolean");
                },
                v -> true,
                "true or false");
    }

    /**
     * Reads this key from {@code env}, falling back to the default.
     *
     * @throws ConfigException naming the key when the value is absent with no default, cannot be
     *     parsed, or fails validation
     */
    public T read(java.util.Map<String, String> env) {
        String raw = env.get(name);
        if (raw == null || raw.isEmpty()) {
            raw = defaultValue;
        }
        if (raw == null) {
            throw new ConfigException(name + " is required (" + doc + ")");
        }
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(name + "='" + raw + "' is invalid: expected " + rule);
        }
        if (!validator.test(value)) {
            throw new ConfigException(name + "='" + raw + "' is invalid: expected " + rule);
        }
        return value;
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    /** The default as written in the environment, or null when the key is required. */
    public String defaultValue() {
        return defaultValue;
    }

    public String rule() {
        return rule;
    }
}
