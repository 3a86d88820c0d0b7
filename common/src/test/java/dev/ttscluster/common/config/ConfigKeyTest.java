package dev.ttscluster.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
    private static final ConfigKey<Integer> PORT = ConfigKey.integer("T_PORT", 8080, 0, 65535, "a port");
    private static final ConfigKey<Long> TTL = ConfigKey.longInt("T_TTL", 60L, 10L, 1000L, "a ttl");
    private static final ConfigKey<String> NAME = ConfigKey.string("T_NAME", "dflt", "a name");
    private static final ConfigKey<String> SECRET = ConfigKey.string("T_SECRET", null, "a secret");
    private static final ConfigKey<Boolean> FLAG = ConfigKey.bool("T_FLAG", true, "a flag");

    @Test
    void defaultUsedWhenAbsent() {
        assertThat(PORT.read(Map.of())).isEqualTo(8080);
        assertThat(TTL.read(Map.of())).isEqualTo(60L);
        assertThat(NAME.read(Map.of())).isEqualTo("dflt");
        assertThat(FLAG.read(Map.of())).isTrue();
    }

    @Test
    void defaultUsedWhenEmpty() {
        assertThat(PORT.read(Map.of("T_PORT", ""))).isEqualTo(8080);
    }

    @Test
    void valueFromEnvIsParsedAndTrimmed() {
        assertThat(PORT.read(Map.of("T_PORT", " 9090 "))).isEqualTo(9090);
        assertThat(NAME.read(Map.of("T_NAME", "x"))).isEqualTo("x");
    }

    @Test
    void missingRequiredKeyNamesTheKey() {
        assertThatThrownBy(() -> SECRET.read(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_SECRET");
    }

    @Test
    void badIntegerNamesTheKey() {
        assertThatThrownBy(() -> PORT.read(Map.of("T_PORT", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_PORT");
        assertThatThrownBy(() -> TTL.read(Map.of("T_TTL", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_TTL");
    }

    @Test
    void integerOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> PORT.read(Map.of("T_PORT", "65536")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_PORT");
        assertThatThrownBy(() -> PORT.read(Map.of("T_PORT", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_PORT");
        assertThatThrownBy(() -> TTL.read(Map.of("T_TTL", "9")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_TTL");
    }

    @Test
    void rangeBoundsAreInclusive() {
        assertThat(PORT.read(Map.of("T_PORT", "0"))).isZero();
        assertThat(PORT.read(Map.of("T_PORT", "65535"))).isEqualTo(65535);
    }

    @Test
    void blankStringNamesTheKey() {
        assertThatThrownBy(() -> NAME.read(Map.of("T_NAME", "   ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_NAME");
    }

    @Test
    void boolParsesTrueAndFalseIgnoringCase() {
        assertThat(FLAG.read(Map.of("T_FLAG", "false"))).isFalse();
        assertThat(FLAG.read(Map.of("T_FLAG", "FALSE"))).isFalse();
        assertThat(FLAG.read(Map.of("T_FLAG", "True"))).isTrue();
    }

    @Test
    void boolRejectsOtherWordsNamingTheKey() {
        assertThatThrownBy(() -> FLAG.read(Map.of("T_FLAG", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("T_FLAG");
    }

    @Test
    void requiredKeyHasNullDefault() {
        assertThat(SECRET.defaultValue()).isNull();
        assertThat(PORT.defaultValue()).isEqualTo("8080");
    }
}
