package dev.ttscluster.worker.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnglishNormalizerTest {
    private final EnglishNormalizer n = new EnglishNormalizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
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
                // cardinals, grouping, negatives, leading zeros, long digit strings
                "999,999,999 stars|nine hundred ninety nine million nine hundred ninety nine thousand nine hundred ninety nine stars",
                "It was 2,000 or 1,050.|It was two thousand or one thousand fifty.",
                "It fell to -5 today.|It fell to minus five today.",
                "Agent 007 and code 0451|Agent zero zero seven and code zero four five one",
                "Card 1234567890123456|Card one two three four five six seven eight nine zero one two three four five six",
                // decimals and versions
                "Only 0.5 left|Only zero point five left",
                "Version 1.2.3 is out.|Version one point two point three is out.",
                // ordinals, years, decades
                "The 101st and 1,000th times|The one hundred first and one thousandth times",
                "In 1900, 2000, 2010 and 1215.|In nineteen hundred, two thousand, twenty ten and twelve fifteen.",
                "The 1990s and the '80s and the 60s|The nineteen nineties and the eighties and the sixties",
                // money
                "Only $0.99 or $1.01|Only ninety nine cents or one dollar and one cent",
                "A $1.5 million deal|A one point five million dollars deal",
                "It is $3.5 now.|It is three point five dollars now.",
                "Pay £20 or €3.50.|Pay twenty pounds or three euros and fifty cents.",
                // percentages and degrees
                "Down 10-15% or -3%.|Down ten to fifteen percent or minus three percent.",
                "It is 72°F or -5°C.|It is seventy two degrees Fahrenheit or minus five degrees Celsius.",
                // times
                "Open 9am to 5:30 p.m. daily.|Open nine A M to five thirty P M daily.",
                "At 12:00 sharp.|At twelve o'clock sharp.",
                // dates
                "Due 12/25/2023.|Due December twenty fifth, twenty twenty three.",
                "On Jan. 5 and March 3, 2021.|On January fifth and March third, twenty twenty one.",
                // fractions, ranges, scores, phone numbers
                "Add 1/2 cup and 3/4 spoon, 24/7.|Add one half cup and three quarters spoon, twenty four seven.",
                "Pages 3-5 in 1990-1995.|Pages three to five in nineteen ninety to nineteen ninety five.",
                "Call (555) 123-4567 now.|Call five five five, one two three, four five six seven now.",
                "Dial 1-800-555-0199.|Dial one, eight zero zero, five five five, zero one nine nine.",
                // abbreviations, initials, acronyms, symbols
                "Mrs. Jones vs. Prof. Lee, e.g. this, i.e. that.|missus Jones versus professor Lee, for example this, that is that.",
                "St. Louis is on Main St.|saint Louis is on Main street",
                "J. R. R. Tolkien lived in the U.K.|J R R Tolkien lived in the U K",
                "Ask AT&T about No. 5 and #12.|Ask A T and T about number five and number twelve.",
                "Cats & dogs @ home: 2+2=4|Cats and dogs at home: two plus two equals four",
                "COVID-19 and MP3 in 3D|COVID-nineteen and MP three in three D",
            })
    void spellsOutWhatAReaderSays(String in, String expected) {
        assertThat(n.normalize(in)).isEqualTo(expected);
    }

    @Test
    void hugeNumbersAreReadDigitByDigit() {
        assertThat(n.normalize("$123456789012345678901 and 99999999999999999999th and 12345678901234567890.5%"))
                .doesNotContainPattern("\\d")
                .startsWith("one two three four five six seven eight nine zero");
    }

    @Test
    void noInputThrowsOrLeavesADigit() {
        Random r = new Random(42);
        String alphabet = "0123456789,.:/-$%£€°#&@+= apmAPMstndrhJanMay'";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(30); k > 0; k--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String in = sb.toString();
            assertThat(n.normalize(in)).as(in).doesNotContainPattern("\\d");
        }
    }
}
