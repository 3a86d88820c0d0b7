package dev.ttscluster.worker.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphemePhonemizerTest {
    private static final List<String> PHONES = phoneSet();
    private final GraphemePhonemizer p = new GraphemePhonemizer(PHONES);

    private static List<String> phoneSet() {
        List<String> s = new ArrayList<>(List.of("<pad>", " "));
        for (char c = 'a'; c <= 'z'; c++) {
            s.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            s.add(String.valueOf(c));
        }
        s.addAll(List.of(".", ",", "?", "!", "'", "-", ":", ";"));
        return s;
    }

    private static String decode(long[] ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            sb.append(PHONES.get((int) id));
        }
        return sb.toString();
    }

    @Test
    void idsMapToPhoneSetIndices() {
        long[] ids = p.ids("ab 1.");
        assertThat(ids)
                .containsExactly(
                        PHONES.indexOf("a"),
                        PHONES.indexOf("b"),
                        PHONES.indexOf(" "),
                        PHONES.indexOf("1"),
                        PHONES.indexOf("."));
    }

    @Test
    void idsAreNeverZero() {
        long[] ids = p.ids("Hello, World! \u00E9\u00E8 <pad> \u4E2D\u6587 123 \"quoted\" \t\n");
        assertThat(ids).isNotEmpty().doesNotContain(0L);
    }

    @Test
    void upperCaseIsLowered() {
        assertThat(decode(p.ids("HeLLo"))).isEqualTo("hello");
    }

    @Test
    void unknownCharactersAreDropped() {
        assertThat(decode(p.ids("a\"b#c\u4E2Dd@"))).isEqualTo("abcd");
    }

    @Test
    void accentsAreStripped() {
        assertThat(decode(p.ids("Caf\u00E9 na\u00EFve \u00C5ngstr\u00F6m"))).isEqualTo("cafe naive angstrom");
    }

    @Test
    void spacesAreCollapsedAndTrimmed() {
        assertThat(decode(p.ids("   a  \t b \n\n  c   "))).isEqualTo("a b c");
    }

    @Test
    void spaceLeftByDroppedCharactersCollapses() {
        assertThat(decode(p.ids("a # b"))).isEqualTo("a b");
    }

    @Test
    void nothingSpeakableGivesEmptyIds() {
        assertThat(p.ids("   ")).isEmpty();
        assertThat(p.ids("\u4E2D\u6587")).isEmpty();
        assertThat(p.ids("")).isEmpty();
    }

    @Test
    void phoneSetWithoutSpaceIsRejected() {
        assertThatThrownBy(() -> new GraphemePhonemizer(List.of("<pad>", "a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
