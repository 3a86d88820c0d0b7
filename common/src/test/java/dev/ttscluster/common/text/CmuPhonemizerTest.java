package dev.ttscluster.common.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class CmuPhonemizerTest {
    static final List<String> PHONES = List.of("<pad>", "pau", "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d",
            "dh", "eh", "er", "ey", "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s",
            "sh", "t", "th", "uh", "uw", "v", "w", "y", "z", "zh");
    private final CmuPhonemizer p = new CmuPhonemizer(PHONES);

    @Test
    void wordsBecomeFestivalStylePhonesBetweenPauses() {
        assertThat(p.phones("Hello world")).containsExactly("pau", "hh", "ax", "l", "ow", "w", "er", "l", "d", "pau");
    }

    @Test
    void clausePunctuationAddsOnePauseNeverTwo() {
        List<String> ph = p.phones("Yes, no... maybe!");
        assertThat(String.join(" ", ph)).isEqualTo("pau y eh s pau n ow pau m ey b iy pau");
    }

    @Test
    void numbersAreSpoken() {
        assertThat(p.phones("7")).containsExactly("pau", "s", "eh", "v", "ax", "n", "pau");
    }

    @Test
    void unknownCapitalisedAcronymsAreSpelled() {
        assertThat(p.phones("XYZ")).containsSubsequence("eh", "k", "s", "w", "ay", "z", "iy");
    }

    @Test
    void idsNeverContainPaddingAndOnlyKnownPhones() {
        long[] ids = p.ids("The quick brown fox, 42 times, jumped over Mr. Lazy-Dog's fence!");
        assertThat(ids).isNotEmpty().doesNotContain(0L);
        assertThat(java.util.Arrays.stream(ids).allMatch(id -> id > 0 && id < PHONES.size())).isTrue();
    }

    @Test
    void nothingSpeakableGivesJustAPause() {
        assertThat(p.ids("!!! ???")).containsExactly(1L);
    }

    @Test
    void parallelUseGivesTheSameResultAsSequential() {
        List<String> texts = IntStream.range(0, 200).mapToObj(i -> "Sentence number " + i + ", with words like zebra.")
                .collect(Collectors.toList());
        List<String> sequential = texts.stream().map(t -> String.join(" ", p.phones(t))).collect(Collectors.toList());
        List<String> parallel = texts.parallelStream().map(t -> String.join(" ", p.phones(t))).collect(Collectors.toList());
        assertThat(parallel).isEqualTo(sequential);
    }
}
