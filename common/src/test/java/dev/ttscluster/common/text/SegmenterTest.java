package dev.ttscluster.common.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmenterTest {

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void oneSegmentPerShortSentence() {
        assertThat(new Segmenter(100).segments("Hello there. How are you?"))
                .containsExactly("Hello there.", "How are you?");
    }

    @Test
    void longSentenceSplitsAtCommasFirst() {
        String s = "alpha beta gamma delta epsilon, zeta eta theta iota kappa, lambda mu nu xi omicron.";
        List<String> segs = new Segmenter(40).segments(s);
        assertThat(segs)
                .containsExactly(
                        "alpha beta gamma delta epsilon,", "zeta eta theta iota kappa,", "lambda mu nu xi omicron.");
    }

    @Test
    void longSentenceWithoutCommasSplitsAtSpaces() {
        String s = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
        List<String> segs = new Segmenter(20).segments(s);
        assertThat(segs).hasSizeGreaterThan(1);
        for (String seg : segs) {
            assertThat(seg).hasSizeLessThanOrEqualTo(20);
            assertThat(seg).doesNotStartWith(" ").doesNotEndWith(" ");
        }
        assertThat(String.join(" ", segs)).isEqualTo(s);
    }

    @Test
    void noSegmentExceedsMaxCharsAndNoneIsEmpty() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("word").append(i).append(i % 7 == 0 ? ", " : " ");
        }
        sb.append("end. Short one. ").append("x".repeat(100)).append(" tail.");
        for (int max : new int[] {16, 17, 31, 50, 120}) {
            List<String> segs = new Segmenter(max).segments(sb.toString());
            assertThat(segs).isNotEmpty().allSatisfy(seg -> {
                assertThat(seg).isNotBlank();
                assertThat(seg.length()).isLessThanOrEqualTo(max);
            });
        }
    }

    @Test
    void concatenatingSegmentsPreservesAllWords() {
        String text = "The quick brown fox, which was very quick indeed, jumped over the lazy dog. "
                + "Then it ran away into the forest and was never seen again by anyone at all! Really?";
        List<String> segs = new Segmenter(24).segments(text);
        assertThat(words(String.join(" ", segs))).isEqualTo(words(text));
    }

    @Test
    void hugeTokenIsCutHard() {
        List<String> segs = new Segmenter(16).segments("a".repeat(40));
        assertThat(segs).containsExactly("a".repeat(16), "a".repeat(16), "a".repeat(8));
    }

    @Test
    void whitespaceOnlyTextGivesEmptyList() {
        assertThat(new Segmenter(100).segments(" \t\n  ")).isEmpty();
        assertThat(new Segmenter(100).segments("")).isEmpty();
    }

    @Test
    void textIsNormalizedBeforeSplitting() {
        assertThat(new Segmenter(100).segments("  Hello   \u201Cworld\u201D.\n\nBye. "))
                .containsExactly("Hello \"world\".", "Bye.");
    }

    @Test
    void maxCharsBelowSixteenIsRejected() {
        assertThatThrownBy(() -> new Segmenter(15)).isInstanceOf(IllegalArgumentException.class);
    }
}
