package dev.ttscluster.worker.frontend;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simplest frontend: lower-cased letters, digits, space and punctuation, each a symbol of the
 * model's phone set (manifest frontend {@code graphemes}). Accents are stripped; symbols the set
 * lacks are dropped, runs of spaces collapse. Immutable and thread-safe.
 */
public final class GraphemePhonemizer implements Phonemizer {
    private final Map<Integer, Long> ids = new HashMap<>();
    private final long spaceId;

    /**
     * @param phoneSet symbols by id; index 0 is padding
     * @throws IllegalArgumentException if the set has no space symbol
     */
    public GraphemePhonemizer(List<String> phoneSet) {
        for (int i = 1; i < phoneSet.size(); i++) {
            String sym = phoneSet.get(i);
            if (sym.codePointCount(0, sym.length()) == 1) {
                ids.put(sym.codePointAt(0), (long) i);
            }
        }
        Long space = ids.get((int) ' ');
        if (space == null) {
            throw new IllegalArgumentException("phone set has no ' ' symbol");
        }
        this.spaceId = space;
    }

    @Override
    public long[] ids(String segment) {
        String s = Normalizer.normalize(segment.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        long[] buf = new long[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            Long id = Character.isWhitespace(cp) ? Long.valueOf(spaceId) : ids.get(cp);
            if (id == null || (id == spaceId && (n == 0 || buf[n - 1] == spaceId))) {
                continue;
            }
            buf[n++] = id;
        }
        while (n > 0 && buf[n - 1] == spaceId) {
            n--;
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
