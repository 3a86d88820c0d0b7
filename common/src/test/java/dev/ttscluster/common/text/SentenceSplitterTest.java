package dev.ttscluster.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
    private final SentenceSplitter splitter = new SentenceSplitter();

    @Test
    void splitsOnPeriodExclamationAndQuestionMark() {
        assertThat(splitter.split("One. Two! Three? Four.")).containsExactly("One.", "Two!", "Three?", "Four.");
    }

    @Test
    void runsOfTerminatorsStayWithTheirSentence() {
        assertThat(splitter.split("Really?! Yes... Fine.")).containsExactly("Really?!", "Yes...", "Fine.");
    }

    @Test
    void closingQuoteStaysWithItsSentence() {
        assertThat(splitter.split("He said \"stop.\" Then left.")).containsExactly("He said \"stop.\"", "Then left.");
    }

    @Test
    void titleAbbreviationDoesNotEndSentence() {
        assertThat(splitter.split("Mr. Smith met Dr. Jones. They talked."))
                .containsExactly("Mr. Smith met Dr. Jones.", "They talked.");
    }

    @Test
    void egDoesNotEndSentence() {
        assertThat(splitter.split("Bring fruit, e.g. apples. Thanks."))
                .containsExactly("Bring fruit, e.g. apples.", "Thanks.");
    }

    @Test
    void decimalNumberIsNotSplit() {
        assertThat(splitter.split("Pi is 3.14 roughly. Yes.")).containsExactly("Pi is 3.14 roughly.", "Yes.");
    }

    @Test
    void initialsStayTogether() {
        assertThat(splitter.split("J. R. R. Tolkien wrote books. Many."))
                .containsExactly("J. R. R. Tolkien wrote books.", "Many.");
    }

    @Test
    void trailingTextWithoutPunctuationIsKept() {
        assertThat(splitter.split("First one. and the rest")).containsExactly("First one.", "and the rest");
    }

    @Test
    void textWithoutPunctuationIsOneSentence() {
        assertThat(splitter.split("no punctuation here")).containsExactly("no punctuation here");
    }

    @Test
    void emptyAndBlankGiveNoSentences() {
        assertThat(splitter.split("")).isEmpty();
        assertThat(splitter.split("   ")).isEmpty();
    }
}
