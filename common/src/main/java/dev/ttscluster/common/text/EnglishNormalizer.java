package dev.ttscluster.common.text;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spells out what an English reader says rather than what is written: numbers (cardinals with
 * thousands separators, decimals, ordinals, years), money, percentages, clock times and common
 * abbreviations. Input is text already cleaned by {@link TextNormalizer}. Stateless and thread-safe.
 */
public final class EnglishNormalizer {
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety"};
    private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("mr.", "mister"), Map.entry("mrs.", "missus"), Map.entry("ms.", "miz"),
            Map.entry("dr.", "doctor"), Map.entry("st.", "saint"), Map.entry("prof.", "professor"),
            Map.entry("jr.", "junior"), Map.entry("sr.", "senior"), Map.entry("vs.", "versus"),
            Map.entry("etc.", "et cetera"), Map.entry("e.g.", "for example"), Map.entry("i.e.", "that is"),
            Map.entry("approx.", "approximately"), Map.entry("dept.", "department"));

    private static final Pattern MONEY = Pattern.compile("\\$(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d{2}))?\\b");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?%");
    private static final Pattern TIME = Pattern.compile("\\b([01]?\\d|2[0-3]):([0-5]\\d)\\b");
    private static final Pattern ORDINAL = Pattern.compile("\\b(\\d+)(st|nd|rd|th)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DECIMAL = Pattern.compile("\\b(\\d+)\\.(\\d+)\\b");
    private static final Pattern GROUPED = Pattern.compile("\\b\\d{1,3}(?:,\\d{3})+\\b");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d+\\b");
    private static final Pattern WORD_ABBREVIATION = Pattern.compile("(?i)(?<![\\w.])(?:e\\.g\\.|i\\.e\\.|[a-z]+\\.)");

    /** Returns the text with numbers, symbols and abbreviations written as words. */
    public String normalize(String text) {
        String s = replace(WORD_ABBREVIATION, text, m -> {
            String w = ABBREVIATIONS.get(m.group().toLowerCase(Locale.ROOT));
            return w == null ? m.group() : w;
        });
        s = replace(MONEY, s, m -> {
            long dollars = Long.parseLong(m.group(1).replace(",", ""));
            String out = cardinal(dollars) + (dollars == 1 ? " dollar" : " dollars");
            if (m.group(2) != null && Integer.parseInt(m.group(2)) > 0) {
                int cents = Integer.parseInt(m.group(2));
                out += " and " + cardinal(cents) + (cents == 1 ? " cent" : " cents");
            }
            return out;
        });
        s = replace(PERCENT, s, m -> number(m.group(1)) + " percent");
        s = replace(TIME, s, m -> {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            return cardinal(h) + (min == 0 ? " o'clock" : min < 10 ? " oh " + cardinal(min) : " " + cardinal(min));
        });
        s = replace(ORDINAL, s, m -> ordinal(Long.parseLong(m.group(1))));
        s = replace(DECIMAL, s, m -> number(m.group()));
        s = replace(GROUPED, s, m -> cardinal(Long.parseLong(m.group().replace(",", ""))));
        s = replace(NUMBER, s, m -> {
            String d = m.group();
            if (d.length() > 12) {
                return digits(d);
            }
            long n = Long.parseLong(d);
            return d.length() == 4 && n >= 1100 && n <= 2099 ? year((int) n) : cardinal(n);
        });
        return s;
    }

    private interface Replacer {
        String apply(Matcher m);
    }

    private static String replace(Pattern p, String s, Replacer r) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(r.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** "3.25" -> "three point two five"; integers as cardinals. */
    static String number(String d) {
        int dot = d.indexOf('.');
        if (dot < 0) {
            return cardinal(Long.parseLong(d));
        }
        return cardinal(Long.parseLong(d.substring(0, dot))) + " point " + digits(d.substring(dot + 1));
    }

    static String digits(String d) {
        StringBuilder sb = new StringBuilder();
        for (char c : d.toCharArray()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(ONES[c - '0']);
        }
        return sb.toString();
    }

    /** 0 .. 999,999,999,999 in words. */
    static String cardinal(long n) {
        if (n < 20) {
            return ONES[(int) n];
        }
        if (n < 100) {
            return TENS[(int) (n / 10)] + (n % 10 == 0 ? "" : " " + ONES[(int) (n % 10)]);
        }
        if (n < 1000) {
            return ONES[(int) (n / 100)] + " hundred" + (n % 100 == 0 ? "" : " " + cardinal(n % 100));
        }
        String[] scales = {"thousand", "million", "billion"};
        long[] sizes = {1_000L, 1_000_000L, 1_000_000_000L};
        for (int i = scales.length - 1; i >= 0; i--) {
            if (n >= sizes[i]) {
                return cardinal(n / sizes[i]) + " " + scales[i] + (n % sizes[i] == 0 ? "" : " " + cardinal(n % sizes[i]));
            }
        }
        throw new IllegalArgumentException("number too large: " + n);
    }

    /** 1984 -> nineteen eighty four; 2005 -> two thousand five; 2024 -> twenty twenty four. */
    static String year(int y) {
        if (y >= 2000 && y < 2010) {
            return cardinal(y);
        }
        int hi = y / 100;
        int lo = y % 100;
        return cardinal(hi) + (lo == 0 ? " hundred" : lo < 10 ? " oh " + cardinal(lo) : " " + cardinal(lo));
    }

    static String ordinal(long n) {
        String c = cardinal(n);
        Map<String, String> irregular = Map.of("one", "first", "two", "second", "three", "third", "five", "fifth",
                "eight", "eighth", "nine", "ninth", "twelve", "twelfth");
        int sp = c.lastIndexOf(' ');
        String last = c.substring(sp + 1);
        String head = c.substring(0, sp + 1);
        if (irregular.containsKey(last)) {
            return head + irregular.get(last);
        }
        if (last.endsWith("y")) {
            return head + last.substring(0, last.length() - 1) + "ieth";
        }
        return c + "th";
    }
}
