package dev.ttscluster.gateway.books;

import java.util.List;

/**
 * A book as its upload gave it: a title and chapters of plain text, in reading order. Immutable.
 *
 * @param title the book's title (from the file, or the first heading; never empty)
 * @param chapters chapters with something to read, in order (never empty)
 */
public record BookText(String title, List<Chapter> chapters) {
    /**
     * One chapter.
     *
     * @param title its heading, or "Chapter n" when it has none
     * @param text its text, paragraphs separated by blank lines, markup removed
     */
    public record Chapter(String title, String text) {}

    public BookText {
        chapters = List.copyOf(chapters);
    }

    /** Characters of all chapters' text. */
    public long chars() {
        return chapters.stream().mapToLong(c -> c.text().length()).sum();
    }
}
