package dev.ttscluster.common.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EnglishNormalizerTest {
    private final EnglishNormalizer n = new EnglishNormalizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "I have 3 cats.|I have three cats.",
        "It costs $5.|It costs five dollars.",
        "It costs $3.50 today.|It costs three dollars and fifty cents today.",
        "Pay $1,250 now.|Pay one thousand two hundred fifty dollars now.",
        "About 1,234,567 people.|About one million two hundred thirty four thousand five hundred sixty seven people.",
        "Pi is 3.14 or so.|Pi is three point one four or so.",
        "She came 1st and he came 22nd.|She came first and he came twenty second.",
        "The 3rd and 11th and 100th.|The third and eleventh and one hundredth.",
        "In 1984 and in 2005 and in 2024.|In nineteen eighty four and in two thousand five and in twenty twenty four.",
        "Meet at 10:30 or 9:05 or 7:00.|Meet at ten thirty or nine oh five or seven o'clock.",
        "A 15% discount.|A fifteen percent discount.",
        "Mr. Smith met Dr. Jones.|mister Smith met doctor Jones.",
        "Apples, pears, etc. are fine.|Apples, pears, et cetera are fine.",
        "Call 0|Call zero",
        "Room 101 is on floor 12.|Room one hundred one is on floor twelve.",
        "No numbers here.|No numbers here.",
    })
    void spellsOutWhatAReaderSays(String in, String expected) {
        assertThat(n.normalize(in)).isEqualTo(expected);
    }
}
