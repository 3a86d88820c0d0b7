package dev.ttscluster.worker.frontend;

import dev.ttscluster.common.text.TextNormalizer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English text to ARPAbet phones in festival's "radio" phone set, as festival's us_slt_arctic_hts voice
 * labels its audio: lowercase names, no stress digits, {@code ax} for the reduced schwa, {@code pau} for
 * pauses.
 *
 * <p>Numbers, money, dates and abbreviations are spelled out first ({@link EnglishNormalizer}). Words are
 * looked up in the CMU dictionary (FreeTTS's cmudict04, the dictionary festival ships, with festival's
 * phone names) after festival's own additions (contractions, a few corrections); noun/verb homographs
 * (does, use, live, lives, close...) get a part of speech guessed from the word before; the possessive or
 * contracted {@code 's} follows festival's rule (z, s, or ax before it after a sibilant); British spellings
 * missing from the dictionary are tried in American spelling; all-capital words of 2 to 5 letters missing
 * from the dictionary are spelled letter by letter unless they read as a word (COBOL); the rest goes to the
 * letter-to-sound rules. {@code pau} stands at both ends and at clause punctuation (, ; : . ! ?), never
 * twice in a row. Hyphenated words are split; accents are dropped.
 *
 * <p>The dictionary itself is {@link CmuLexicon}; festival's own entries are {@link FestivalAddenda}; this class
 * holds the reading rules around them.
 *
 * <p>Immutable and thread-safe; the lexicon loads once per JVM, on first use.
 *
 * <p>Why it is longer than most classes: each reading rule above is a short method beside the others it
 * interacts with (contractions, spellings, acronyms, punctuation pauses); split apart they would each need
 * the whole token stream, so they stay together here, with the data outside.
 */
public final class CmuPhonemizer implements Phonemizer {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+(?:'[A-Za-z]+)*|[,;:.!?]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final String PAUSE = "pau";
    /** Capitals with a plural s (CDs, FAQs): festival reads the capitals, then the s as it reads 's. */
    private static final Pattern PLURAL_CAPITALS = Pattern.compile("[A-Z]{2,}s");

    private static final Set<String> SIBILANTS = Set.of("s", "z", "sh", "zh", "ch", "jh");
    private static final Set<String> VOICELESS = Set.of("p", "t", "k", "f", "th", "s", "sh", "ch", "hh");
    private static final Set<String> NOUN_BEFORE = Set.of(
            "the", "a", "an", "these", "those", "my", "your", "his", "her", "its", "our", "their", "whose", "each",
            "every", "no", "some", "any", "another", "of", "for", "in", "on", "with", "from", "by", "about", "into",
            "such", "own", "more", "most", "good", "new", "first", "last", "next", "same");
    private static final Set<String> VERB_BEFORE = Set.of(
            "to",
            "i",
            "you",
            "we",
            "they",
            "he",
            "she",
            "it",
            "who",
            "will",
            "would",
            "can",
            "could",
            "shall",
            "should",
            "may",
            "might",
            "must",
            "do",
            "does",
            "did",
            "don't",
            "doesn't",
            "didn't",
            "won't",
            "wouldn't",
            "can't",
            "couldn't",
            "shouldn't",
            "not",
            "never",
            "always",
            "often",
            "also",
            "just",
            "please",
            "let's",
            "i'll",
            "you'll",
            "we'll",
            "they'll",
            "i'd",
            "you'd",
            "we'd");
    private static final Set<String> OBJECT_AFTER = Set.of(
            "the", "a", "an", "it", "them", "this", "that", "these", "those", "your", "my", "our", "his", "her",
            "their", "me", "us", "him", "some", "all", "up", "down");
    /** Homographs whose reading does not follow from a guessed part of speech: always this one. */
    private static final Map<String, String> FIXED_POS = Map.of("does", "v");
    /** The reading of a homograph when its neighbours say nothing (else the dictionary's default). */
    private static final Map<String, String> DEFAULT_POS = Map.of("perfect", "j", "live", "v", "lead", "v");
    /** Verb readings FreeTTS's copy of the dictionary shadows with a second verb entry (past tense "led"). */
    private static final Map<String, String> VERB_READINGS = Map.of("lead", "l iy d");
    /** British spellings tried, in American spelling, for words the dictionary lacks: (from, to). */
    private static final String[][] AMERICAN = {
        {"our", "or"},
        {"ise", "ize"},
        {"isi", "izi"},
        {"isa", "iza"},
        {"yse", "yze"},
        {"ysi", "yzi"},
        {"tre", "ter"},
        {"ll", "l"},
        {"ence", "ense"},
        {"ogue", "og"},
        {"ae", "e"},
        {"oe", "e"}
    };

    private final TextNormalizer cleaner = new TextNormalizer();
    private final EnglishNormalizer normalizer = new EnglishNormalizer();
    private final Map<String, Long> ids;
    private final long pauseId;

    /**
     * @param phoneSet the model's symbols by id; index 0 is padding
     */
    public CmuPhonemizer(List<String> phoneSet) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 1; i < phoneSet.size(); i++) {
            m.putIfAbsent(phoneSet.get(i), (long) i);
        }
        this.ids = Collections.unmodifiableMap(m);
        this.pauseId = m.getOrDefault(PAUSE, -1L);
    }

    /** Loads the lexicon now (about two seconds, once per JVM) rather than on the first phonemized segment. */
    public static void preload() {
        CmuLexicon.get();
    }

    /** The symbol ids of {@link #phones}; names missing from the phone set are dropped, pau never doubled. */
    @Override
    public long[] ids(String segment) {
        return kept(phones(segment, null, null), null);
    }

    /** The words of {@link #ids}, each with the span of its phones there. */
    @Override
    public List<WordSpan> words(String segment) {
        List<String> tokens = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<String> phones = phones(segment, tokens, owner);
        int[] wordOf = owner.stream().mapToInt(Integer::intValue).toArray();
        long[] ids = kept(phones, wordOf);
        List<WordSpan> out = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            int w = wordOf[i];
            int j = i;
            while (j < ids.length && wordOf[j] == w) {
                j++;
            }
            if (w >= 0) {
                out.add(new WordSpan(tokens.get(w), i, j));
            }
            i = j;
        }
        return out;
    }

    /**
     * The ids of phone names that are in the phone set, pau never doubled; with {@code wordOf}, also the
     * word of each kept id (its index in the phone list's words, or -1 for a pause), in place.
     */
    private long[] kept(List<String> phones, int[] wordOf) {
        long[] out = new long[phones.size()];
        int[] words = wordOf == null ? null : wordOf.clone();
        int n = 0;
        for (int k = 0; k < phones.size(); k++) {
            String p = phones.get(k);
            Long id = ids.get(p);
            if (id != null && !(id == pauseId && n > 0 && out[n - 1] == id)) {
                if (words != null) {
                    wordOf[n] = words[k];
                }
                out[n++] = id;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The phone names of a segment, with pau at the ends and at clause punctuation, never doubled. */
    public List<String> phones(String segment) {
        return phones(segment, null, null);
    }

    /**
     * As {@link #phones(String)}; when {@code words} is given, appends to it each spoken word, and to
     * {@code owner} the index in {@code words} of each phone's word (-1 for a pause).
     */
    private List<String> phones(String segment, List<String> words, List<Integer> owner) {
        String text = fold(normalizer.normalize(cleaner.normalize(segment)));
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        List<String> out = new ArrayList<>();
        out.add(PAUSE);
        track(owner, out, -1);
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i);
            if (isPunctuation(tok)) {
                addPause(out);
                track(owner, out, -1);
            } else {
                String prev = i > 0 && !isPunctuation(tokens.get(i - 1)) ? tokens.get(i - 1) : null;
                String next = i + 1 < tokens.size() && !isPunctuation(tokens.get(i + 1)) ? tokens.get(i + 1) : null;
                for (String p : word(tok, prev, next)) {
                    out.add(p);
                }
                if (words != null) {
                    words.add(tok);
                    track(owner, out, words.size() - 1);
                }
            }
        }
        addPause(out);
        track(owner, out, -1);
        return out;
    }

    /** Extends {@code owner} to the length of {@code phones} with {@code word}; nothing without an owner list. */
    private static void track(List<Integer> owner, List<String> phones, int word) {
        if (owner == null) {
            return;
        }
        while (owner.size() < phones.size()) {
            owner.add(word);
        }
    }

    private static boolean isPunctuation(String tok) {
        return tok.length() == 1 && ",;:.!?".indexOf(tok.charAt(0)) >= 0;
    }

    private static void addPause(List<String> out) {
        if (!out.get(out.size() - 1).equals(PAUSE)) {
            out.add(PAUSE);
        }
    }

    /** Accents off, a few letters written out, so that only ASCII letters remain for the lexicon. */
    private static String fold(String s) {
        String t = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        return t.replace("ß", "ss")
                .replace("æ", "ae")
                .replace("Æ", "Ae")
                .replace("œ", "oe")
                .replace("Œ", "Oe")
                .replace("ø", "o")
                .replace("Ø", "O")
                .replace("ł", "l")
                .replace("Ł", "L")
                .replace("đ", "d")
                .replace("þ", "th")
                .replace("ð", "dh");
    }

    /** The phones of one word token (original case), given its neighbours in the clause (or null). */
    static List<String> word(String token, String prev, String next) {
        String w = token.toLowerCase(Locale.ROOT);
        String fixed = FestivalAddenda.get(w);
        if (fixed != null) {
            return List.of(fixed.split(" "));
        }
        if (token.equals("A") && isLetterA(prev, next)) {
            return List.of("ey");
        }
        if (w.endsWith("'s") && w.length() > 2) {
            List<String> stem = new ArrayList<>(word(token.substring(0, token.length() - 2), prev, null));
            possessive(stem);
            return stem;
        }
        if (w.indexOf('\'') >= 0) {
            return word(token.replace("'", ""), prev, next);
        }
        if (PLURAL_CAPITALS.matcher(token).matches()) {
            List<String> stem = new ArrayList<>(word(token.substring(0, token.length() - 1), prev, null));
            possessive(stem);
            return stem;
        }
        CmuLexicon lex = CmuLexicon.get();
        String pos = guessPos(lex, w, prev, next);
        if ("v".equals(pos) && VERB_READINGS.containsKey(w)) {
            return List.of(VERB_READINGS.get(w).split(" "));
        }
        List<String> found = lex.lookup(w, pos);
        if (found != null) {
            return found;
        }
        if (token.length() >= 2
                && token.length() <= 5
                && token.equals(token.toUpperCase(Locale.ROOT))
                && !readsAsWord(w)) {
            return lex.spell(w);
        }
        List<String> american = american(lex, w);
        return american != null ? american : lex.letterToSound(w);
    }

    /** Festival reads a capital "A" as the letter after a lower-case word or before a capitalised one. */
    private static boolean isLetterA(String prev, String next) {
        return prev != null && (Character.isLowerCase(prev.charAt(0)) || prev.length() == 1)
                || next != null && Character.isUpperCase(next.charAt(0));
    }

    /** Festival's 's: "ax z" after s z sh zh ch jh (z devoiced after a voiceless one), else z, or s after a voiceless phone. */
    private static void possessive(List<String> stem) {
        String last = stem.isEmpty() ? "" : stem.get(stem.size() - 1);
        boolean voiceless = VOICELESS.contains(last);
        if (SIBILANTS.contains(last)) {
            stem.add("ax");
        }
        stem.add(voiceless ? "s" : "z");
    }

    /** A 4-5 letter capitalised word reads as a word when it alternates vowels and consonants plausibly. */
    private static boolean readsAsWord(String w) {
        if (w.length() < 4 || !w.matches(".*[aeiouy].*")) {
            return false;
        }
        if (w.matches(".*[^aeiouy]{3}.*")) {
            return false;
        }
        String onset = w.replaceFirst("[aeiouy].*", "");
        return onset.length() < 2
                || onset.matches("bl|br|ch|cl|cr|dr|fl|fr|gl|gr|kn|ph|pl|pr|sc|sh|sk|sl|sm|sn|sp|st|sw|th|tr|tw|wh|wr");
    }

    /** The part of speech for a noun/verb homograph, from its neighbours; null for other words or when unsure. */
    private static String guessPos(CmuLexicon lex, String w, String prev, String next) {
        if (!lex.isHomograph(w)) {
            return null;
        }
        String fixed = FIXED_POS.get(w);
        if (fixed != null) {
            return fixed;
        }
        String p = prev == null ? null : prev.toLowerCase(Locale.ROOT);
        if (p == null && next != null && OBJECT_AFTER.contains(next.toLowerCase(Locale.ROOT))) {
            return "v";
        }
        if (p != null && (NOUN_BEFORE.contains(p) || p.endsWith("'s"))) {
            return lex.hasPos(w, "n") ? "n" : "j";
        }
        if (p != null && VERB_BEFORE.contains(p)) {
            return "v";
        }
        return DEFAULT_POS.get(w);
    }

    private static List<String> american(CmuLexicon lex, String w) {
        for (String[] rule : AMERICAN) {
            for (int at = w.indexOf(rule[0]); at >= 0; at = w.indexOf(rule[0], at + 1)) {
                String us = w.substring(0, at) + rule[1] + w.substring(at + rule[0].length());
                List<String> found = lex.lookup(us, null);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
