package dev.ttscluster.worker.frontend;

import com.sun.speech.freetts.en.us.CMULexicon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FreeTTS's CMU lexicon (cmudict04), loaded on first use. Its lookups are not thread-safe (entries are
 * parsed lazily into its map), so every call holds the lock; results are copies without stress digits.
 * Thread-safe; loaded once per JVM.
 */
final class CmuLexicon {
    private final CMULexicon lex;
    /** Words with differing noun/adjective and verb entries, with the parts of speech each has. */
    private final Map<String, Set<String>> homographs;

    private CmuLexicon(CMULexicon lex, Map<String, Set<String>> homographs) {
        this.lex = lex;
        this.homographs = homographs;
    }

    static CmuLexicon get() {
        return Holder.INSTANCE;
    }

    boolean isHomograph(String w) {
        return homographs.containsKey(w);
    }

    boolean hasPos(String w, String pos) {
        Set<String> s = homographs.get(w);
        return s != null && s.contains(pos);
    }

    /** The dictionary's phones (pos null: its default entry), or null when the word is not in it. */
    List<String> lookup(String w, String pos) {
        String[] phones;
        synchronized (lex) {
            phones = lex.getPhones(w, pos, false);
        }
        return phones == null ? null : strip(phones);
    }

    /** The letter-to-sound rules' phones (never null, possibly empty). */
    List<String> letterToSound(String w) {
        String[] phones;
        synchronized (lex) {
            phones = lex.getPhones(w, null, true);
        }
        return phones == null ? new ArrayList<>() : strip(phones);
    }

    /** The word spelled as letter names, the way festival says letters (noun entries: "a" is ey). */
    List<String> spell(String w) {
        List<String> out = new ArrayList<>();
        for (char c : w.toCharArray()) {
            String letter = String.valueOf(c);
            String fixed = FestivalAddenda.get(letter);
            if (fixed != null) {
                out.addAll(List.of(fixed.split(" ")));
                continue;
            }
            List<String> p = lookup(letter, "n");
            if (p != null) {
                out.addAll(p);
            }
        }
        return out;
    }

    private static List<String> strip(String[] phones) {
        List<String> out = new ArrayList<>(phones.length);
        for (String p : phones) {
            int end = p.length();
            while (end > 0 && Character.isDigit(p.charAt(end - 1))) {
                end--;
            }
            if (end > 0) {
                out.add(p.substring(0, end));
            }
        }
        return out;
    }

    private static final class Holder {
        static final CmuLexicon INSTANCE = load();

        private static CmuLexicon load() {
            CMULexicon lex = new CMULexicon("cmudict04");
            try {
                lex.load();
                return new CmuLexicon(lex, homographs());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the CMU lexicon", e);
            }
        }

        /** Scans the dictionary's text form (in the FreeTTS jar) for words whose n/j and v entries differ. */
        private static Map<String, Set<String>> homographs() throws IOException {
            Map<String, Map<String, String>> entries = new HashMap<>();
            try (InputStream in = CMULexicon.class.getResourceAsStream("cmudict04_compiled.txt")) {
                if (in == null) {
                    return Map.of();
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                for (String line; (line = r.readLine()) != null; ) {
                    int tab = line.indexOf('\t');
                    if (line.startsWith("***") || tab < 2) {
                        continue;
                    }
                    char pos = line.charAt(tab - 1);
                    if (pos == 'n' || pos == 'v' || pos == 'j') {
                        entries.computeIfAbsent(line.substring(0, tab - 1), k -> new HashMap<>())
                                .putIfAbsent(
                                        String.valueOf(pos),
                                        line.substring(tab + 1)
                                                .replaceAll("\\d", "")
                                                .trim());
                    }
                }
            }
            Map<String, Set<String>> out = new HashMap<>();
            entries.forEach((w, byPos) -> {
                String v = byPos.get("v");
                if (v != null
                        && byPos.entrySet().stream()
                                .anyMatch(e ->
                                        !e.getKey().equals("v") && !e.getValue().equals(v))) {
                    out.put(w, Collections.unmodifiableSet(new HashSet<>(byPos.keySet())));
                }
            });
            return Collections.unmodifiableMap(out);
        }
    }
}
