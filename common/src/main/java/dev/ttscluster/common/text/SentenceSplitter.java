package dev.ttscluster.common.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits normalized text into sentences at . ! ? (and runs of them) followed by whitespace, except
 * after common abbreviations, single initials and inside decimal numbers. Stateless and thread-safe.
 */
public final class SentenceSplitter {
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "no", "mt", "ft", "jan",
            "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp",
            "capt", "col", "gen", "lt", "sgt", "rev", "gov");

    /** Returns the sentences of {@code text}, trimmed, none empty. */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?') {
                continue;
            }
            int end = i + 1;
            while (end < n && ".!?\"')]".indexOf(text.charAt(end)) >= 0) {
                end++;
            }
            if (end < n && !Character.isWhitespace(text.charAt(end))) {
                i = end - 1;
                continue;
            }
            if (c == '.' && end == i + 1 && isAbbreviation(text, start, i)) {
                continue;
            }
            add(out, text.substring(start, end));
            start = end;
            i = end - 1;
        }
        if (start < n) {
            add(out, text.substring(start));
        }
        return out;
    }

    private static boolean isAbbreviation(String text, int start, int dot) {
        int w = dot;
        while (w > start && !Character.isWhitespace(text.charAt(w - 1))) {
            w--;
        }
        String word = text.substring(w, dot).toLowerCase(Locale.ROOT);
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
            return true;
        }
        return ABBREVIATIONS.contains(word);
    }

    private static void add(List<String> out, String s) {
        String t = s.trim();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }
}
