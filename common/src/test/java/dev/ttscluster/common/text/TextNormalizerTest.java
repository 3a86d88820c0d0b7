package dev.ttscluster.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    private final TextNormalizer n = new TextNormalizer();

    @Test
    void controlCharactersAreDropped() {
        assertThat(n.normalize("a\u0000b\u0007c\u007Fd")).isEqualTo("abcd");
    }

    @Test
    void formatCharactersAreDropped() {
        assertThat(n.normalize("zero\u200Bwidth\uFEFF")).isEqualTo("zerowidth");
    }

    @Test
    void smartQuotesAreFolded() {
        assertThat(n.normalize("\u201CIt\u2019s\u201D \u2018ok\u2019")).isEqualTo("\"It's\" 'ok'");
    }

    @Test
    void dashesAndEllipsisAreFolded() {
        assertThat(n.normalize("a\u2013b\u2014c\u2212d\u2026")).isEqualTo("a-b-c-d.");
    }

    @Test
    void whitespaceIsCollapsedAndTrimmed() {
        assertThat(n.normalize("  a \t\n b\u00A0\u2003c   ")).isEqualTo("a b c");
    }

    @Test
    void whitespaceOnlyBecomesEmpty() {
        assertThat(n.normalize(" \t\r\n ")).isEmpty();
    }

    @Test
    void decomposedAccentsAreComposed() {
        assertThat(n.normalize("cafe\u0301")).isEqualTo("caf\u00E9");
    }
}
