package dev.ttscluster.worker.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CmuPhonemizerTest {
    /** The slt bundle's phone set (festival's radio phones as its us_slt_arctic_hts voice uses them). */
    static final List<String> PHONES = List.of(
            "<pad>", "pau", "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d", "dh", "eh", "er", "ey", "f", "g",
            "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t", "th", "uh", "uw",
            "v", "w", "y", "z", "zh");

    private final CmuPhonemizer p = new CmuPhonemizer(PHONES);

    private String say(String text) {
        return String.join(" ", p.phones(text));
    }

    @Test
    void wordsBecomeFestivalStylePhonesBetweenPauses() {
        assertThat(p.phones("Hello world")).containsExactly("pau", "hh", "ax", "l", "ow", "w", "er", "l", "d", "pau");
    }

    @Test
    void clausePunctuationAddsOnePauseNeverTwo() {
        assertThat(say("Yes, no... maybe!")).isEqualTo("pau y eh s pau n ow pau m ey b iy pau");
        assertThat(say("One; two: three? Four.")).isEqualTo("pau w ah n pau t uw pau th r iy pau f ao r pau");
    }

    @Test
    void numbersAreSpoken() {
        assertThat(p.phones("7")).containsExactly("pau", "s", "eh", "v", "ax", "n", "pau");
        assertThat(say("$5")).isEqualTo("pau f ay v d aa l er z pau");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // festival's contractions (its cmulex addenda), not FreeTTS's apostrophe-less entries
                "don't|d ow n t",
                "I'm|ay m",
                "we're|w iy r",
                "they're|dh er",
                "it's|ih t s",
                "I'd|ay d",
                "won't|w ow n t",
                "she'll|sh iy l",
                "o'clock|ax k l aa k",
                // festival's 's: ax before it after a sibilant, s after a voiceless phone, else z
                "let's|l eh t s",
                "what's|w ah t s",
                "she's|sh iy z",
                "the dog's|dh ax d ao g z",
                "the cat's|dh ax k ae t s",
                "the boss's|dh ax b aa s ax s",
                "the judge's|dh ax jh ah jh ax z",
                // capitals: spelled when not a word, letter names as festival says them
                "FBI|eh f b iy ay",
                "the FBI's files|dh ax eh f b iy ay z f ay l z",
                "CDs|s iy d iy z",
                "NASA|n ae s ae",
                "USPS|y uw eh s p iy eh s",
                "the U.S.A.|dh ax y uw eh s ey",
                "I got an A|ay g aa t ae n ey",
                // homographs by the word before
                "to live|t ax l ih v",
                "a live show|ax l ay v sh ow",
                "their lives|dh eh r l ay v z",
                "he lives|hh iy l ih v z",
                "the use|dh ax y uw s",
                "to use|t ax y uw z",
                "does|d ah z",
                "to lead|t ax l iy d",
                "the lead|dh ax l eh d",
                // festival's dictionary where FreeTTS's copy differs; British spellings read as American ones
                "before|b iy f ao r",
                "linux|l ih n ah k s",
                "neighbour|n ey b er",
                "realised|r iy l ay z d",
                "centre|s eh n t er",
                // hyphens split words, accents are dropped
                "well-known|w eh l n ow n",
                "café|k ax f ey",
            })
    void readsWordsTheWayFestivalDoes(String text, String phones) {
        assertThat(say(text)).isEqualTo("pau " + phones + " pau");
    }

    @Test
    void idsNeverContainPaddingAndOnlyKnownPhones() {
        long[] ids =
                p.ids("The quick brown fox, 42 times, jumped over Mr. Lazy-Dog's fence at 10:30 a.m. on 3/4/2021!");
        assertThat(ids).isNotEmpty().doesNotContain(0L);
        assertThat(Arrays.stream(ids).allMatch(id -> id > 0 && id < PHONES.size()))
                .isTrue();
    }

    @Test
    void everyPhoneOfVariedTextIsInTheFestivalSet() {
        String text = "Xylophones, zebras & quixotic jukeboxes: 1,234,567 Œuvres; the 1990s' GDP rose 3.5% - "
                + "Mrs. O'Neill's naïve schadenfreude, Tchaikovsky's ptarmigan, pwned llamas, MCMXCIV, gr8 h4x0rs.";
        assertThat(p.phones(text)).isNotEmpty().allSatisfy(ph -> assertThat(PHONES)
                .contains(ph));
    }

    @Test
    void symbolsMissingFromThePhoneSetAreDroppedWithoutError() {
        CmuPhonemizer small = new CmuPhonemizer(List.of("<pad>", "hh", "l", "ow"));
        assertThat(small.ids("Hello world")).containsExactly(1L, 2L, 3L, 2L);
        assertThat(small.ids("Zzz")).isEmpty();
    }

    @Test
    void pauseIdsAreNeverDoubledEvenWhenAWordBetweenThemVanishes() {
        CmuPhonemizer noZ = new CmuPhonemizer(List.of("<pad>", "pau", "n", "ow"));
        assertThat(noZ.ids("Zzz, no.")).containsExactly(1L, 2L, 3L, 1L);
    }

    @Test
    void nothingSpeakableGivesJustAPause() {
        assertThat(p.ids("!!! ???")).containsExactly(1L);
        assertThat(p.ids("")).containsExactly(1L);
    }

    @Test
    void parallelUseGivesTheSameResultAsSequential() {
        String[] words = {"zebra", "FBI's", "colour", "lives", "don't", "Xylophone", "1,250", "$3.50", "NASA", "use"};
        List<String> texts = IntStream.range(0, 400)
                .mapToObj(i -> "Sentence number " + i + ", with " + words[i % words.length] + " and "
                        + words[(i * 7) % words.length] + ".")
                .collect(Collectors.toList());
        List<String> sequential = texts.stream().map(this::say).collect(Collectors.toList());
        CmuPhonemizer other = new CmuPhonemizer(PHONES);
        List<String> parallel = texts.parallelStream()
                .map(t -> String.join(" ", (t.hashCode() % 2 == 0 ? p : other).phones(t)))
                .collect(Collectors.toList());
        assertThat(parallel).isEqualTo(sequential);
    }

    @Test
    void randomTextNeverThrowsAndStaysInThePhoneSet() {
        Random r = new Random(7);
        String alphabet =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ''''   ,.;:!?-0123456789$%&éüßæ\u4e2d\u0416";
        for (int i = 0; i < 3_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(40); k > 0; k--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String in = sb.toString();
            List<String> phones = p.phones(in);
            assertThat(phones).as(in).startsWith("pau").endsWith("pau").allSatisfy(ph -> assertThat(PHONES)
                    .contains(ph));
            assertThat(String.join(" ", phones)).as(in).doesNotContain("pau pau");
        }
    }

    @Test
    void wordSpansCoverEveryIdButThePausesInOrder() {
        String segment = "Hello there, Mr. Smith paid 42 dollars!";
        long[] ids = p.ids(segment);
        java.util.List<Phonemizer.WordSpan> words = p.words(segment);
        long pau = PHONES.indexOf("pau");

        assertThat(words).extracting(Phonemizer.WordSpan::word).contains("Hello", "there", "Smith", "dollars");
        int at = 0;
        int covered = 0;
        for (Phonemizer.WordSpan w : words) {
            assertThat(w.from()).as(w.toString()).isGreaterThanOrEqualTo(at).isLessThan(w.to());
            for (int i = at; i < w.from(); i++) {
                assertThat(ids[i]).as("between words only pauses").isEqualTo(pau);
            }
            covered += w.to() - w.from();
            at = w.to();
        }
        assertThat(at).isLessThanOrEqualTo(ids.length);
        long pauses = java.util.Arrays.stream(ids).filter(i -> i == pau).count();
        assertThat(covered + pauses).as("every id is a word's or a pause").isEqualTo(ids.length);
    }
}
