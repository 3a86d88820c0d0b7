package dev.ttscluster.common.text;

import java.text.Normalizer;

/**
 * Cleans raw user text before segmentation: Unicode NFC, typographic quotes and dashes folded to
 * ASCII, control characters dropped, whitespace collapsed. Stateless and thread-safe.
 */
public final class TextNormalizer {

    /** Returns the cleaned text; never null, possibly empty. */
    public String normalize(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int mapped = fold(cp);
            if (Character.isWhitespace(mapped) || Character.isSpaceChar(mapped)) {
                space = out.length() > 0;
                continue;
            }
            if (Character.isISOControl(mapped)
                    || Character.getType(mapped) == Character.FORMAT
                    || Character.getType(mapped) == Character.SURROGATE
                    || Character.getType(mapped) == Character.UNASSIGNED
                    || Character.getType(mapped) == Character.PRIVATE_USE) {
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(mapped);
        }
        return out.toString();
    }

    private static int fold(int cp) {
        switch (cp) {
            case '\u2018':
            case '\u2019':
            case '\u201B':
            case '\u2032':
                return '\'';
            case '\u201C':
            case '\u201D':
            case '\u201F':
            case '\u2033':
                return '"';
            case '\u2013':
            case '\u2014':
            case '\u2212':
                return '-';
            case '\u2026':
                return '.';
            default:
                return cp;
        }
    }
}
