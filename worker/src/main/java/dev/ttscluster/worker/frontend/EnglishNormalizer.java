package dev.ttscluster.worker.frontend;

import dev.ttscluster.common.text.TextNormalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spells out what an English (US) reader says rather than what is written: numbers (cardinals with
 * thousands separators, decimals, negatives, ordinals, years, decades, fractions, ranges, digit strings
 * with leading zeros, phone numbers), money ($ £ € with cents/pence and "million"-style scales),
 * percentages, degrees, clock times (with a.m./p.m.), dates (month names with a day, numeric
 * month/day/year), common abbreviations and a few symbols. Dotted acronyms (U.S.A.) become capital letters
 * the phonemizer spells; a letter stuck to digits is separated from them. No digit survives: what no rule
 * covers is read digit by digit. Input is text already cleaned by {@link TextNormalizer}. Stateless,
 * deterministic and thread-safe.
 *
 * <p>Why it is longer than most classes: it is mostly the rule table (one pattern and one small reading
 * function per kind of token, applied in a fixed order that matters), kept in one place so the order is visible.
 */
public final class EnglishNormalizer {
    private static final String[] ONES = {
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen"
    };
    private static final String[] TENS = {
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
    };
    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };
    private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("mr.", "mister"),
            Map.entry("mrs.", "missus"),
            Map.entry("ms.", "miz"),
            Map.entry("dr.", "doctor"),
            Map.entry("prof.", "professor"),
            Map.entry("mt.", "mount"),
            Map.entry("jr.", "junior"),
            Map.entry("sr.", "senior"),
            Map.entry("vs.", "versus"),
            Map.entry("etc.", "et cetera"),
            Map.entry("e.g.", "for example"),
            Map.entry("i.e.", "that is"),
            Map.entry("approx.", "approximately"),
            Map.entry("dept.", "department"),
            Map.entry("ave.", "avenue"),
            Map.entry("blvd.", "boulevard"),
            Map.entry("rd.", "road"),
            Map.entry("inc.", "incorporated"),
            Map.entry("ltd.", "limited"),
            Map.entry("corp.", "corporation"),
            Map.entry("co.", "company"),
            Map.entry("capt.", "captain"),
            Map.entry("gen.", "general"),
            Map.entry("gov.", "governor"),
            Map.entry("sgt.", "sergeant"),
            Map.entry("lt.", "lieutenant"),
            Map.entry("col.", "colonel"),
            Map.entry("rev.", "reverend"),
            Map.entry("est.", "established"),
            Map.entry("hrs.", "hours"),
            Map.entry("jan.", "January"),
            Map.entry("feb.", "February"),
            Map.entry("mar.", "March"),
            Map.entry("apr.", "April"),
            Map.entry("jun.", "June"),
            Map.entry("jul.", "July"),
            Map.entry("aug.", "August"),
            Map.entry("sep.", "September"),
            Map.entry("sept.", "September"),
            Map.entry("oct.", "October"),
            Map.entry("nov.", "November"),
            Map.entry("dec.", "December"));
    private static final Map<String, String[]> CURRENCIES = Map.of(
            "$", new String[] {"dollar", "dollars", "cent", "cents"},
            "£", new String[] {"pound", "pounds", "penny", "pence"},
            "€", new String[] {"euro", "euros", "cent", "cents"});
    private static final Map<String, String> SYMBOLS =
            Map.of("&", " and ", "@", " at ", "+", " plus ", "=", " equals ");

    private static final String NUM = "(\\d{1,3}(?:,\\d{3})+|\\d+)";
    private static final String MONTH = "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            + "|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
    private static final Pattern LATIN = Pattern.compile("(?i)(?<![\\w.])(e\\.g|i\\.e)\\.(?![\\w])");
    private static final Pattern LETTERS_AND_LETTERS = Pattern.compile("\\b([A-Z]{1,2})&([A-Z]{1,2})\\b");
    private static final Pattern DOTTED_ACRONYM = Pattern.compile("(?<![\\w.])(?:[A-Za-z]\\.){2,}(?![\\w])");
    private static final Pattern WORD_ABBREVIATION = Pattern.compile("(?i)(?<![\\w.])(?:e\\.g\\.|i\\.e\\.|[a-z]+\\.)");
    private static final Pattern SAINT_OR_STREET = Pattern.compile("(?<![\\w.])(St)\\.(\\s+[A-Z])?");
    private static final Pattern NUMBER_SIGN = Pattern.compile("(?:(?<![\\w.])No\\.|#)\\s?(?=\\d)");
    private static final Pattern INITIAL = Pattern.compile("(?<![\\w.])([A-Z])\\.(?=\\s+[A-Z])");
    private static final Pattern MONEY =
            Pattern.compile("([$£€])\\s?" + NUM + "(?:\\.(\\d+))?(?:\\s(thousand|million|billion|trillion)\\b)?");
    private static final Pattern PERCENT_RANGE =
            Pattern.compile("(?<![\\w.-])(\\d[\\d,]*(?:\\.\\d+)?)\\s?-\\s?(?=\\d[\\d,.]*\\s?%)");
    private static final Pattern PERCENT = Pattern.compile("((?<![\\w.])-)?" + NUM + "(\\.\\d+)?\\s?%");
    private static final Pattern DEGREES =
            Pattern.compile("((?<![\\w.])-)?" + NUM + "(\\.\\d+)?\\s?°\\s?([CF](?![a-zA-Z]))?");
    private static final Pattern TIME = Pattern.compile(
            "\\b([01]?\\d|2[0-3])(?::([0-5]\\d))?\\s?(?:([AaPp])\\.?[Mm]\\.?(?![A-Za-z])|(?<=:\\d\\d))");
    private static final Pattern NUMERIC_DATE =
            Pattern.compile("\\b(0?[1-9]|1[0-2])/(0?[1-9]|[12]\\d|3[01])/(\\d{4}|\\d{2})\\b");
    private static final Pattern MONTH_DAY =
            Pattern.compile("\\b" + MONTH + "\\.?\\s(0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\b(?![:.,]\\d)");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w.-])(?:(?:1[-.])?(?:\\(\\d{3}\\)\\s?|\\d{3}[-.])\\d{3}[-.]\\d{4}" + "|\\d{3}-\\d{4})(?![\\w-])");
    private static final Pattern DECADE = Pattern.compile("(?:\\b|')(\\d{2}|[12]\\d{2}0)s\\b");
    private static final Pattern ORDINAL = Pattern.compile("\\b" + NUM + "(st|nd|rd|th)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern FRACTION = Pattern.compile("(?<![\\w/])(\\d+)/(\\d+)(?![\\w/])");
    private static final Pattern RANGE = Pattern.compile("(?<![\\w.-])" + NUM + "-" + NUM + "(?![\\w-])");
    private static final Pattern NEGATIVE = Pattern.compile("(?<![\\w.])-(?=\\d)");
    private static final Pattern LETTER_DIGIT = Pattern.compile("(?<=[A-Za-z])(?=\\d)|(?<=\\d)(?=[A-Za-z])");
    private static final Pattern VERSION = Pattern.compile("\\b\\d+(?:\\.\\d+){2,}\\b");
    private static final Pattern DECIMAL = Pattern.compile("\\b" + NUM + "\\.(\\d+)\\b");
    private static final Pattern LEADING_ZERO = Pattern.compile("(?<![\\d,.])0\\d+\\b");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d{1,3}(?:,\\d{3})+\\b|\\d+");

    private static final List<Rule> RULES = List.of(
            new Rule(LATIN, m -> m.group(1).toLowerCase(Locale.ROOT).startsWith("e") ? "for example" : "that is"),
            new Rule(LETTERS_AND_LETTERS, m -> spaced(m.group(1)) + " and " + spaced(m.group(2))),
            new Rule(TIME, EnglishNormalizer::time),
            new Rule(
                    DOTTED_ACRONYM,
                    m -> m.group().replace(".", " ").toUpperCase(Locale.ROOT).trim()),
            new Rule(SAINT_OR_STREET, m -> m.group(2) != null ? "saint" + m.group(2) : "street"),
            new Rule(NUMBER_SIGN, m -> "number "),
            new Rule(WORD_ABBREVIATION, m -> {
                String w = ABBREVIATIONS.get(m.group().toLowerCase(Locale.ROOT));
                return w == null ? m.group() : w;
            }),
            new Rule(INITIAL, m -> m.group(1)),
            new Rule(MONEY, EnglishNormalizer::money),
            new Rule(PERCENT_RANGE, m -> m.group(1) + " to "),
            new Rule(PERCENT, m -> (m.group(1) == null ? "" : "minus ") + number(m.group(2), m.group(3)) + " percent"),
            new Rule(
                    DEGREES,
                    m -> (m.group(1) == null ? "" : "minus ")
                            + number(m.group(2), m.group(3))
                            + (isOne(m.group(2), m.group(3)) ? " degree" : " degrees")
                            + (m.group(4) == null ? "" : m.group(4).equals("C") ? " Celsius" : " Fahrenheit")),
            new Rule(
                    NUMERIC_DATE,
                    m -> MONTHS[Integer.parseInt(m.group(1)) - 1] + " " + ordinal(Integer.parseInt(m.group(2))) + ", "
                            + yearOf(m.group(3))),
            new Rule(MONTH_DAY, m -> monthName(m.group(1)) + " " + ordinal(Integer.parseInt(m.group(2)))),
            new Rule(PHONE, m -> digitGroups(m.group())),
            new Rule(
                    DECADE,
                    m -> plural(
                            m.group(1).length() == 2
                                    ? cardinal(Integer.parseInt(m.group(1)))
                                    : year(Integer.parseInt(m.group(1))))),
            new Rule(
                    ORDINAL,
                    m -> tooLong(m.group(1)) ? digits(m.group(1)) + " " + m.group(2) : ordinal(parse(m.group(1)))),
            new Rule(FRACTION, EnglishNormalizer::fraction),
            new Rule(RANGE, m -> integer(m.group(1)) + " to " + integer(m.group(2))),
            new Rule(NEGATIVE, m -> "minus "),
            new Rule(LETTER_DIGIT, m -> " "),
            new Rule(
                    VERSION,
                    m -> String.join(
                            " point ",
                            java.util.Arrays.stream(m.group().split("\\."))
                                    .map(EnglishNormalizer::integer)
                                    .toArray(String[]::new))),
            new Rule(DECIMAL, m -> number(m.group(1), "." + m.group(2))),
            new Rule(LEADING_ZERO, m -> digits(m.group())),
            new Rule(NUMBER, m -> integer(m.group())));

    private record Rule(Pattern pattern, Function<Matcher, String> replacement) {}

    /** Returns the text with numbers, symbols and abbreviations written as words. */
    public String normalize(String text) {
        String s = text;
        for (Rule r : RULES) {
            s = replace(r.pattern(), s, r.replacement());
        }
        for (Map.Entry<String, String> e : SYMBOLS.entrySet()) {
            if (s.contains(e.getKey())) {
                s = s.replace(e.getKey(), e.getValue());
            }
        }
        return s.replaceAll(" {2,}", " ").trim();
    }

    private static String replace(Pattern p, String s, Function<Matcher, String> r) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(r.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Whole numbers beyond what {@link #cardinal} says are read digit by digit. */
    private static boolean tooLong(String grouped) {
        return grouped.replace(",", "").length() > 12;
    }

    private static long parse(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }

    /** A whole number as said: cardinals up to twelve digits, years for plain 1100..2099, digits beyond. */
    static String integer(String d) {
        String plain = d.replace(",", "");
        if (plain.length() > 12) {
            return digits(plain);
        }
        if (plain.length() > 1 && plain.startsWith("0")) {
            return digits(plain);
        }
        long n = Long.parseLong(plain);
        return plain.equals(d) && d.length() == 4 && n >= 1100 && n <= 2099 ? year((int) n) : cardinal(n);
    }

    private static String time(Matcher m) {
        int h = Integer.parseInt(m.group(1));
        String minutes = m.group(2);
        String half = m.group(3);
        if (half != null && h > 12) {
            return m.group();
        }
        StringBuilder out = new StringBuilder(cardinal(h));
        int min = minutes == null ? 0 : Integer.parseInt(minutes);
        if (min > 0) {
            out.append(min < 10 ? " oh " : " ").append(cardinal(min));
        } else if (half == null) {
            out.append(" o'clock");
        }
        if (half != null) {
            out.append(half.equalsIgnoreCase("a") ? " A M" : " P M");
        }
        return out.toString();
    }

    private static String money(Matcher m) {
        String[] unit = CURRENCIES.get(m.group(1));
        if (tooLong(m.group(2))) {
            return integer(m.group(2)) + (m.group(3) == null ? "" : " point " + digits(m.group(3))) + " " + unit[1];
        }
        long whole = parse(m.group(2));
        String fraction = m.group(3);
        String scale = m.group(4);
        if (scale != null) {
            return number(m.group(2), fraction == null ? null : "." + fraction) + " " + scale + " " + unit[1];
        }
        if (fraction != null && fraction.length() != 2) {
            return number(m.group(2), "." + fraction) + " " + unit[1];
        }
        int cents = fraction == null ? 0 : Integer.parseInt(fraction);
        String main = cardinal(whole) + " " + (whole == 1 ? unit[0] : unit[1]);
        if (cents == 0) {
            return main;
        }
        String small = cardinal(cents) + " " + (cents == 1 ? unit[2] : unit[3]);
        return whole == 0 ? small : main + " and " + small;
    }

    private static String fraction(Matcher m) {
        String a = m.group(1);
        String b = m.group(2);
        if (a.length() > 6 || b.length() > 6) {
            return integer(a) + " " + integer(b);
        }
        long num = Long.parseLong(a);
        long den = Long.parseLong(b);
        if (den >= 2 && den <= 10 && num > 0 && num < den) {
            String name = den == 2 ? "half" : den == 4 ? "quarter" : ordinal(den);
            return cardinal(num) + " " + (num == 1 ? name : den == 2 ? "halves" : name + "s");
        }
        return integer(a) + " " + integer(b);
    }

    private static String digitGroups(String phone) {
        StringBuilder sb = new StringBuilder();
        for (String group : phone.split("[^0-9]+")) {
            if (!group.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(digits(group));
            }
        }
        return sb.toString();
    }

    private static String spaced(String letters) {
        return String.join(" ", letters.split(""));
    }

    private static String monthName(String written) {
        String head = written.substring(0, 3);
        for (String month : MONTHS) {
            if (month.startsWith(head)) {
                return month;
            }
        }
        return written;
    }

    private static boolean isOne(String whole, String fraction) {
        return fraction == null && whole.equals("1");
    }

    /** "3" -> three; ("3", ".25") -> three point two five. */
    static String number(String whole, String fraction) {
        String w = tooLong(whole) ? digits(whole) : cardinal(parse(whole));
        return fraction == null ? w : w + " point " + digits(fraction.substring(1));
    }

    static String digits(String d) {
        StringBuilder sb = new StringBuilder();
        for (char c : d.toCharArray()) {
            if (c >= '0' && c <= '9') {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(ONES[c - '0']);
            }
        }
        return sb.toString();
    }

    /** 0 .. 999,999,999,999 in words. */
    static String cardinal(long n) {
        if (n < 0) {
            return "minus " + cardinal(-n);
        }
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
                return cardinal(n / sizes[i]) + " " + scales[i]
                        + (n % sizes[i] == 0 ? "" : " " + cardinal(n % sizes[i]));
            }
        }
        throw new IllegalArgumentException("number too large: " + n);
    }

    /** 1984 -> nineteen eighty four; 2005 -> two thousand five; 2024 -> twenty twenty four. */
    static String year(int y) {
        if (y >= 2000 && y < 2010 || y % 1000 == 0) {
            return cardinal(y);
        }
        int hi = y / 100;
        int lo = y % 100;
        return cardinal(hi) + (lo == 0 ? " hundred" : lo < 10 ? " oh " + cardinal(lo) : " " + cardinal(lo));
    }

    /** A year written with two or four digits in a numeric date: "24" -> twenty twenty four. */
    private static String yearOf(String y) {
        return y.length() == 2 ? year(2000 + Integer.parseInt(y)) : year(Integer.parseInt(y));
    }

    static String ordinal(long n) {
        String c = cardinal(n);
        Map<String, String> irregular = Map.of(
                "one", "first", "two", "second", "three", "third", "five", "fifth", "eight", "eighth", "nine", "ninth",
                "twelve", "twelfth");
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

    /** "nineteen ninety" -> "nineteen nineties"; "eighteen hundred" -> "eighteen hundreds". */
    static String plural(String words) {
        return words.endsWith("y")
                ? words.substring(0, words.length() - 1) + "ies"
                : words.endsWith("x") ? words + "es" : words + "s";
    }
}
