package dev.ttscluster.common.text;

import com.sun.speech.freetts.en.us.CMULexicon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English text to ARPAbet phones in festival's "radio" phone set (the phones festival's us_slt voice
 * labels its audio with): numbers and abbreviations spelled out ({@link EnglishNormalizer}), words
 * looked up in the CMU dictionary (FreeTTS cmudict04) with letter-to-sound rules for the rest, stress
 * removed, acronyms of capitals missing from the dictionary spelled letter by letter, {@code pau} at
 * both ends and at clause punctuation. Immutable and thread-safe; the lexicon loads once per JVM.
 */
public final class CmuPhonemizer implements Phonemizer {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+(?:'[A-Za-z]+)*|[,;:.!?]");
    private static final String PAUSE = "pau";

    private final TextNormalizer cleaner = new TextNormalizer();
    private final EnglishNormalizer normalizer = new EnglishNormalizer();
    private final Map<String, Long> ids = new HashMap<>();

    /**
     * @param phoneSet the model's symbols by id; index 0 is padding
     */
    public CmuPhonemizer(List<String> phoneSet) {
        for (int i = 1; i < phoneSet.size(); i++) {
            ids.put(phoneSet.get(i), (long) i);
        }
    }

    @Override
    public long[] ids(String segment) {
        List<String> phones = phones(segment);
        long[] out = new long[phones.size()];
        int n = 0;
        for (String p : phones) {
            Long id = ids.get(p);
            if (id != null && !(id == pauseId() && n > 0 && out[n - 1] == id)) {
                out[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private long pauseId() {
        return ids.getOrDefault(PAUSE, -1L);
    }

    /** The phone names of a segment, with pau at the ends and at clause punctuation, never doubled. */
    public List<String> phones(String segment) {
        String text = normalizer.normalize(cleaner.normalize(segment));
        List<String> out = new ArrayList<>();
        out.add(PAUSE);
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String tok = m.group();
            if (",;:.!?".contains(tok)) {
                addPause(out);
                continue;
            }
            word(tok, out);
        }
        addPause(out);
        return out;
    }

    private static void addPause(List<String> out) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals(PAUSE)) {
            out.add(PAUSE);
        }
    }

    private static void word(String token, List<String> out) {
        CMULexicon lex = Lexicon.INSTANCE;
        String w = token.toLowerCase(Locale.ROOT);
        String[] phones;
        synchronized (lex) {
            phones = lex.getPhones(w, null, false);
            boolean acronym = phones == null && token.length() >= 2 && token.length() <= 5
                    && token.equals(token.toUpperCase(Locale.ROOT));
            if (acronym) {
                List<String> spelled = new ArrayList<>();
                for (char c : w.toCharArray()) {
                    String[] letter = lex.getPhones(String.valueOf(c), null);
                    if (letter != null) {
                        spelled.addAll(List.of(letter));
                    }
                }
                phones = spelled.toArray(new String[0]);
            } else if (phones == null) {
                phones = lex.getPhones(w, null);
            }
        }
        if (phones == null) {
            return;
        }
        for (String p : phones) {
            out.add(p.replaceAll("\\d", ""));
        }
    }

    /** The CMU lexicon, loaded on first use. FreeTTS lookups are not thread-safe: callers lock it. */
    private static final class Lexicon {
        static final CMULexicon INSTANCE = load();

        private static CMULexicon load() {
            CMULexicon lex = new CMULexicon("cmudict04");
            try {
                lex.load();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the CMU lexicon", e);
            }
            return lex;
        }
    }
}
