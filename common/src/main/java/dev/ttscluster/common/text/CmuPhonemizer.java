package dev.ttscluster.common.text;

import com.sun.speech.freetts.en.us.CMULexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>Immutable and thread-safe; the lexicon loads once per JVM, on first use.
 */
public final class CmuPhonemizer implements Phonemizer {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+(?:'[A-Za-z]+)*|[,;:.!?]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final String PAUSE = "pau";
    /** Capitals with a plural s (CDs, FAQs): festival reads the capitals, then the s as it reads 's. */
    private static final Pattern PLURAL_CAPITALS = Pattern.compile("[A-Z]{2,}s");
    private static final Set<String> SIBILANTS = Set.of("s", "z", "sh", "zh", "ch", "jh");
    private static final Set<String> VOICELESS = Set.of("p", "t", "k", "f", "th", "s", "sh", "ch", "hh");
    private static final Set<String> NOUN_BEFORE = Set.of("the", "a", "an", "these", "those", "my",
            "your", "his", "her", "its", "our", "their", "whose", "each", "every", "no", "some", "any", "another",
            "of", "for", "in", "on", "with", "from", "by", "about", "into", "such", "own", "more", "most", "good",
            "new", "first", "last", "next", "same");
    private static final Set<String> VERB_BEFORE = Set.of("to", "i", "you", "we", "they", "he", "she", "it", "who",
            "will", "would", "can", "could", "shall", "should", "may", "might", "must", "do", "does", "did", "don't",
            "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "not", "never", "always",
            "often", "also", "just", "please", "let's", "i'll", "you'll", "we'll", "they'll", "i'd", "you'd", "we'd");
    private static final Set<String> OBJECT_AFTER = Set.of("the", "a", "an", "it", "them", "this", "that", "these",
            "those", "your", "my", "our", "his", "her", "their", "me", "us", "him", "some", "all", "up", "down");
    /** Homographs whose reading does not follow from a guessed part of speech: always this one. */
    private static final Map<String, String> FIXED_POS = Map.of("does", "v");
    /** The reading of a homograph when its neighbours say nothing (else the dictionary's default). */
    private static final Map<String, String> DEFAULT_POS = Map.of("perfect", "j", "live", "v", "lead", "v");
    /** Verb readings FreeTTS's copy of the dictionary shadows with a second verb entry (past tense "led"). */
    private static final Map<String, String> VERB_READINGS = Map.of("lead", "l iy d");
    /**
     * Festival's own entries that FreeTTS's copy of the dictionary lacks or has differently: festival's
     * cmulex addenda (which the slt voice uses), a few contractions in the same style, and the words where
     * festival's newer copy of cmudict 0.4 differs.
     */
    private static final Map<String, String> ADDENDA = Map.ofEntries(
            Map.entry("i'll", "ay l"), Map.entry("it's", "ih t s"), Map.entry("don't", "d ow n t"),
            Map.entry("didn't", "d ih d n t"), Map.entry("isn't", "ih z n t"), Map.entry("doesn't", "d ah z n t"),
            Map.entry("that's", "dh ae t s"), Map.entry("won't", "w ow n t"), Map.entry("aren't", "ae r n t"),
            Map.entry("there's", "dh er z"), Map.entry("we're", "w iy r"), Map.entry("wouldn't", "w uh d n t"),
            Map.entry("wasn't", "w aa z n t"), Map.entry("they're", "dh er"), Map.entry("weren't", "w er n t"),
            Map.entry("i'm", "ay m"), Map.entry("he's", "hh iy z"), Map.entry("you're", "y uw r"),
            Map.entry("haven't", "hh ae v n t"), Map.entry("we've", "w iy v"), Map.entry("i've", "ay v"),
            Map.entry("hadn't", "hh ae d n t"), Map.entry("they've", "dh ey v"), Map.entry("shouldn't", "sh uh d n t"),
            Map.entry("i'd", "ay d"), Map.entry("they'll", "dh ey l"), Map.entry("you've", "y uw v"),
            Map.entry("you'll", "y uw l"), Map.entry("we'd", "w iy d"), Map.entry("he'd", "hh iy d"),
            Map.entry("he'll", "hh iy l"), Map.entry("they'd", "dh ey d"), Map.entry("you'd", "y uw d"),
            Map.entry("it'll", "ih t ah l"), Map.entry("who've", "hh uw v"), Map.entry("ain't", "ey n t"),
            Map.entry("needn't", "n iy d n t"), Map.entry("she'd", "sh iy d"), Map.entry("who'd", "hh uw d"),
            Map.entry("she'll", "sh iy l"), Map.entry("there'll", "dh er l"), Map.entry("there'd", "dh er d"),
            Map.entry("it'd", "ih t ah d"), Map.entry("who'll", "hh uw l"), Map.entry("that'll", "dh ae t l"),
            Map.entry("mightn't", "m ay t n t"), Map.entry("would've", "w uh d ah v"), Map.entry("mustn't", "m ah s n t"),
            Map.entry("how'd", "hh aw d"), Map.entry("could've", "k uh d ah v"), Map.entry("hasn't", "hh ae z n t"),
            Map.entry("couldn't", "k uh d n t"), Map.entry("can't", "k ae n t"), Map.entry("we'll", "w iy l"),
            Map.entry("should've", "sh uh d ah v"), Map.entry("might've", "m ay t ah v"),
            Map.entry("must've", "m ah s t ah v"), Map.entry("shan't", "sh ae n t"), Map.entry("that'd", "dh ae t ah d"),
            Map.entry("what'll", "w ah t ah l"), Map.entry("y'all", "y ao l"), Map.entry("ma'am", "m ae m"),
            Map.entry("o'clock", "ax k l aa k"),
            Map.entry("uk", "y uw k ey"), Map.entry("w", "d ah b ah l y uw"), Map.entry("bought", "b ao t"),
            Map.entry("edinburgh", "eh d ah n b ax r ow"), Map.entry("emacs", "iy m ae k s"),
            Map.entry("hz", "hh eh r t z"), Map.entry("khz", "k ih l ax hh eh r t z"),
            Map.entry("mhz", "m eh g ax hh eh r t z"), Map.entry("lived", "l ih v d"),
            Map.entry("ltd", "l ih m ah t ah d"), Map.entry("mrs", "m ih s ah s"), Map.entry("nasa", "n ae s ae"),
            Map.entry("pasadena", "p ae s ae d iy n ax"), Map.entry("reuters", "r oy t er z"),
            Map.entry("february", "f eh b r ax er iy"), Map.entry("before", "b iy f ao r"), Map.entry("t", "t iy"),
            // festival's dictionary (cmulex 2.0, 2008) differs from FreeTTS's 2004 copy in these words
            Map.entry("campsite", "k ae m p s ay t"), Map.entry("cataract", "k ae t er ae k t"),
            Map.entry("centrifugal", "s eh n t r ih f ih g ax l"), Map.entry("chairmen", "ch eh r m ax n"),
            Map.entry("christophe", "k r ih s t ao f"), Map.entry("colour", "k ah l er"),
            Map.entry("colourfully", "k ah l er f ax l iy"), Map.entry("cookstove", "k uh k s t ow v"),
            Map.entry("corexit", "k ao r eh k s ih t"), Map.entry("dataset", "d ey t ah s eh t"),
            Map.entry("datasets", "d ey t ah s eh t s"), Map.entry("depopulation", "d ih p aa p y ax l ey sh ax n"),
            Map.entry("drawknife", "d r ao n ay f"), Map.entry("forint", "f ao r ih n t"),
            Map.entry("gaijin", "g ay jh ih n"), Map.entry("goodbyes", "g uh d b ay z"),
            Map.entry("hermione", "hh er m ay ax n iy"), Map.entry("honouring", "aa n er ax ng"),
            Map.entry("immaculate", "ih m ae k y uw l ih t"), Map.entry("iphone", "ay f ow n"),
            Map.entry("ipod", "ay p aa d"), Map.entry("katie", "k ey t iy"), Map.entry("kiester", "k ay ih s t er"),
            Map.entry("kilohertz", "k ih l ax hh er t s"), Map.entry("labour", "l ey b er"),
            Map.entry("linux", "l ih n ah k s"), Map.entry("miso", "m iy s ow"),
            Map.entry("oligarch", "ow l ih g aa r k"), Map.entry("paperboy", "p ey p er b oy"),
            Map.entry("paperboys", "p ey p er b oy z"), Map.entry("peeped", "p iy p t"),
            Map.entry("pollinate", "p aa l ax n ey t"), Map.entry("revaluations", "r iy v ae l y uw ey sh ax n z"),
            Map.entry("schlep", "sh l eh p"), Map.entry("smelt", "s m eh l t"),
            Map.entry("spearmint", "s p iy r m ih n t"), Map.entry("surfed", "s er f t"),
            Map.entry("tarpaulin", "t aa r p ao l ih n"), Map.entry("thursday", "th er z d iy"),
            Map.entry("thursdays", "th er z d iy z"), Map.entry("tidied", "t ay d ax d"),
            Map.entry("tidies", "t ay d ax z"), Map.entry("tidying", "t ay d iy ih ng"),
            Map.entry("trestles", "t r eh s ax l z"), Map.entry("unpacked", "ax n p ae k t"),
            Map.entry("untie", "ax n t ay"), Map.entry("waistcoat", "w ey s t k ow t"),
            Map.entry("watertight", "w ao t er t ay t"), Map.entry("waveform", "w ey v f ao r m"),
            Map.entry("waveforms", "w ey v f ao r m z"), Map.entry("wifi", "w ay f ay"),
            Map.entry("wikipedia", "w ih k ih p iy d iy ax"), Map.entry("woodstove", "w uh d s t ow v"),
            Map.entry("youtube", "y uw t uw b"));
    /** British spellings tried, in American spelling, for words the dictionary lacks: (from, to). */
    private static final String[][] AMERICAN = {{"our", "or"}, {"ise", "ize"}, {"isi", "izi"}, {"isa", "iza"},
        {"yse", "yze"}, {"ysi", "yzi"}, {"tre", "ter"}, {"ll", "l"}, {"ence", "ense"}, {"ogue", "og"},
        {"ae", "e"}, {"oe", "e"}};

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
        Lexicon.get();
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
        return t.replace("ß", "ss").replace("æ", "ae").replace("Æ", "Ae").replace("œ", "oe").replace("Œ", "Oe")
                .replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d")
                .replace("þ", "th").replace("ð", "dh");
    }

    /** The phones of one word token (original case), given its neighbours in the clause (or null). */
    static List<String> word(String token, String prev, String next) {
        String w = token.toLowerCase(Locale.ROOT);
        String fixed = ADDENDA.get(w);
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
        Lexicon lex = Lexicon.get();
        String pos = guessPos(lex, w, prev, next);
        if ("v".equals(pos) && VERB_READINGS.containsKey(w)) {
            return List.of(VERB_READINGS.get(w).split(" "));
        }
        List<String> found = lex.lookup(w, pos);
        if (found != null) {
            return found;
        }
        if (token.length() >= 2 && token.length() <= 5 && token.equals(token.toUpperCase(Locale.ROOT))
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
        return onset.length() < 2 || onset.matches("bl|br|ch|cl|cr|dr|fl|fr|gl|gr|kn|ph|pl|pr|sc|sh|sk|sl|sm|sn|sp|st|sw|th|tr|tw|wh|wr");
    }

    /** The part of speech for a noun/verb homograph, from its neighbours; null for other words or when unsure. */
    private static String guessPos(Lexicon lex, String w, String prev, String next) {
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

    private static List<String> american(Lexicon lex, String w) {
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

    /**
     * FreeTTS's CMU lexicon (cmudict04), loaded on first use. Its lookups are not thread-safe (entries are
     * parsed lazily into its map), so every call holds the lock; results are copies without stress digits.
     */
    static final class Lexicon {
        private final CMULexicon lex;
        /** Words with differing noun/adjective and verb entries, with the parts of speech each has. */
        private final Map<String, Set<String>> homographs;

        private Lexicon(CMULexicon lex, Map<String, Set<String>> homographs) {
            this.lex = lex;
            this.homographs = homographs;
        }

        static Lexicon get() {
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
                String fixed = ADDENDA.get(letter);
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
            static final Lexicon INSTANCE = load();

            private static Lexicon load() {
                CMULexicon lex = new CMULexicon("cmudict04");
                try {
                    lex.load();
                    return new Lexicon(lex, homographs());
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
                                    .putIfAbsent(String.valueOf(pos), line.substring(tab + 1).replaceAll("\\d", "").trim());
                        }
                    }
                }
                Map<String, Set<String>> out = new HashMap<>();
                entries.forEach((w, byPos) -> {
                    String v = byPos.get("v");
                    if (v != null && byPos.entrySet().stream().anyMatch(e -> !e.getKey().equals("v") && !e.getValue().equals(v))) {
                        out.put(w, Collections.unmodifiableSet(new HashSet<>(byPos.keySet())));
                    }
                });
                return Collections.unmodifiableMap(out);
            }
        }
    }
}
