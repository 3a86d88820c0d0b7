package dev.ttscluster.common.config;

import java.util.List;

/** Renders configuration keys as a Markdown table, so the documented keys come from the code. */
public final class ConfigDocs {
    private ConfigDocs() {}

    /** A Markdown table of the keys: name, default, accepted values, meaning. */
    public static String table(List<ConfigKey<?>> keys) {
        StringBuilder sb = new StringBuilder("| key | default | accepted | meaning |\n|---|---|---|---|\n");
        for (ConfigKey<?> k : keys) {
            String def = k.defaultValue() == null
                    ? "(required)"
                    : k.defaultValue().isEmpty() ? "(empty)" : "`" + k.defaultValue() + "`";
            sb.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(def)
                    .append(" | ")
                    .append(k.rule())
                    .append(" | ")
                    .append(k.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
