package dev.ttscluster.gateway.books;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text and Markdown books: split into chapters at headings. Markdown headings are {@code #} lines
 * and setext headings (a line underlined with {@code ===} or {@code ---}); levels 1 and 2 start chapters,
 * deeper ones are read as lines; a first level-1 heading is the book's title (and no chapter when only
 * further headings follow it). In plain text a
 * heading is a short line of its own that names a chapter, book, part or section ("CHAPTER IV.",
 * "Chapter 12: The Storm", "BOOK ONE", "Part 2") or a line of the form "Ruth 1" / "# Ruth 1". Markdown
 * markup (emphasis, links, images, code, lists, quotes, HTML tags) is removed; text before the first
 * heading is a chapter of its own when it has enough to read. Stateless and thread-safe.
 */
public final class PlainBook {
    private static final Pattern ATX = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern SETEXT = Pattern.compile("^(=+|-+)\\s*$");
    private static final Pattern PLAIN_HEADING = Pattern.compile(
            "^\\s*((chapter|book|part|section|canto|letter)\\s+([0-9]+|[ivxlcdm]+|[a-z-]+)\\b[.:]?.{0,60}|[A-Z][a-z]+ [0-9]{1,3})\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern TAG = Pattern.compile("<[^>]{0,200}>");
    private static final Pattern EMPHASIS = Pattern.compile("(\\*{1,3}|_{1,3}|~~|`+)");
    private static final Pattern LIST = Pattern.compile("^\\s*([-*+]|[0-9]{1,3}[.)])\\s+");
    private static final Pattern QUOTE = Pattern.compile("^\\s*>+\\s?");
    /** Text before the first heading shorter than this is front matter (a byline, an epigraph), not a chapter. */
    static final int MIN_PREFACE_CHARS = 200;

    private PlainBook() {}

    /**
     * Parses a Markdown book.
     *
     * @param fallbackTitle title when the text has none
     */
    public static BookText markdown(String text, String fallbackTitle) {
        String[] lines = normalizeNewlines(text).split("\n", -1);
        List<String[]> chapters = new ArrayList<>(); // {title, text}
        List<Integer> levels = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String heading = null;
        int level = 0;
        boolean fence = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                fence = !fence;
                continue;
            }
            if (fence) {
                continue; // code is not read aloud
            }
            Matcher m = ATX.matcher(line);
            boolean setext = !line.isBlank()
                    && !LIST.matcher(line).find()
                    && i + 1 < lines.length
                    && SETEXT.matcher(lines[i + 1]).matches();
            if ((m.matches() && m.group(1).length() <= 2) || setext) {
                if (close(chapters, heading, current)) {
                    levels.add(level);
                }
                heading = clean(setext ? line : m.group(2));
                level = setext
                        ? (lines[i + 1].startsWith("=") ? 1 : 2)
                        : m.group(1).length();
                if (setext) {
                    i++;
                }
            } else if (m.matches()) {
                current.append(clean(m.group(2))).append(".\n\n"); // a deeper heading is read as a line of text
            } else {
                current.append(clean(line)).append('\n');
            }
        }
        if (close(chapters, heading, current)) {
            levels.add(level);
        }
        // a first level-1 heading is the book's title; with nothing under it but further chapters, not a chapter
        String title = fallbackTitle;
        if (!chapters.isEmpty() && levels.get(0) == 1 && chapters.get(0)[0] != null) {
            title = chapters.get(0)[0];
            if (chapters.get(0)[1].isBlank() && chapters.size() > 1) {
                chapters.remove(0);
            }
        }
        return build(title, chapters);
    }

    /**
     * Parses a plain-text book.
     *
     * @param fallbackTitle title when the text has none
     */
    public static BookText plain(String text, String fallbackTitle) {
        String[] lines = normalizeNewlines(text).split("\n", -1);
        List<String[]> chapters = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String heading = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean alone = (i == 0 || lines[i - 1].isBlank())
                    && (i + 1 >= lines.length
                            || lines[i + 1].isBlank()
                            || PLAIN_HEADING.matcher(lines[i + 1]).matches()
                            || lines[i + 1].strip().length() < 80);
            if (alone
                    && line.strip().length() <= 80
                    && PLAIN_HEADING.matcher(line).matches()) {
                close(chapters, heading, current);
                heading = line.strip().replaceAll("[.:]+$", "");
                continue;
            }
            current.append(line.strip()).append('\n');
        }
        close(chapters, heading, current);
        return build(fallbackTitle, chapters);
    }

    private static boolean blankBefore(String[] lines, int i) {
        return i == 0 || lines[i - 1].isBlank();
    }

    /** Ends the chapter being read; false when it was front matter too short to be a chapter. */
    private static boolean close(List<String[]> chapters, String heading, StringBuilder text) {
        String body = text.toString().strip();
        text.setLength(0);
        if (heading == null && body.length() < MIN_PREFACE_CHARS) {
            return false; // a byline or an epigraph before the first heading
        }
        chapters.add(new String[] {heading, body});
        return true;
    }

    private static BookText build(String title, List<String[]> raw) {
        List<BookText.Chapter> out = new ArrayList<>();
        for (String[] c : raw) {
            if (!c[1].isBlank()) {
                out.add(new BookText.Chapter(
                        c[0] != null && !c[0].isBlank() ? c[0] : "Chapter " + (out.size() + 1), c[1]));
            }
        }
        return new BookText(title == null || title.isBlank() ? "Untitled" : title, out);
    }

    /** Markdown markup removed from one line. */
    static String clean(String line) {
        String s = IMAGE.matcher(line).replaceAll("");
        s = LINK.matcher(s).replaceAll("$1");
        s = TAG.matcher(s).replaceAll("");
        s = QUOTE.matcher(s).replaceFirst("");
        s = LIST.matcher(s).replaceFirst("");
        s = EMPHASIS.matcher(s).replaceAll("");
        return s.strip();
    }

    private static String normalizeNewlines(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
