package dev.ttscluster.gateway.books;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainBookTest {
    @Test
    void markdownChaptersStartAtLevelOneAndTwoHeadingsAndTheFirstLevelOneIsTheTitle() {
        String md = """
                # The Voyage

                ## Chapter 1: Leaving

                It was a *bright* morning. See [the map](http://example.invalid/map).

                ### A small heading

                - first thing
                - second thing

                ## Chapter 2

                ```
                code is not read
                ```
                > A quote ends the book.
                """;

        BookText book = PlainBook.markdown(md, "fallback");

        assertThat(book.title()).isEqualTo("The Voyage");
        assertThat(book.chapters())
                .extracting(BookText.Chapter::title)
                .containsExactly("Chapter 1: Leaving", "Chapter 2");
        String first = book.chapters().get(0).text();
        assertThat(first)
                .contains("It was a bright morning. See the map.", "A small heading.", "first thing", "second thing")
                .doesNotContain("*", "http", "#", "- ");
        assertThat(book.chapters().get(1).text()).isEqualTo("A quote ends the book.");
    }

    @Test
    void setextHeadingsAndALongPrefaceCount() {
        String preface = "Before anything else, a word. ".repeat(10);
        String md =
                preface + "\n\nPart One\n========\n\nText of part one.\n\nPart Two\n--------\n\nText of part two.\n";

        BookText book = PlainBook.markdown(md, "Fallback Title");

        assertThat(book.chapters())
                .extracting(BookText.Chapter::title)
                .containsExactly("Chapter 1", "Part One", "Part Two");
        assertThat(book.title()).isEqualTo("Fallback Title");
    }

    @Test
    void plainTextSplitsAtChapterLinesAndDropsAShortByline() {
        String txt = "by A. Writer\n\nCHAPTER I.\n\nThe first chapter's text.\nIt goes on.\n\nChapter 2: The Storm\n\n"
                + "Wind and rain.\n\nBOOK THREE\n\nThe end.\n";

        BookText book = PlainBook.plain(txt, "My Book");

        assertThat(book.title()).isEqualTo("My Book");
        assertThat(book.chapters())
                .extracting(BookText.Chapter::title)
                .containsExactly("CHAPTER I", "Chapter 2: The Storm", "BOOK THREE");
        assertThat(book.chapters().get(0).text()).isEqualTo("The first chapter's text.\nIt goes on.");
    }

    @Test
    void textWithoutHeadingsIsOneChapter() {
        BookText book = PlainBook.plain("Just one paragraph of words, nothing more.", "Short");

        assertThat(book.chapters()).hasSize(0); // shorter than a preface: nothing counts as a chapter
        BookText longer = PlainBook.plain("Just words. ".repeat(30), "Short");
        assertThat(longer.chapters()).hasSize(1);
        assertThat(longer.chapters().get(0).title()).isEqualTo("Chapter 1");
    }
}
