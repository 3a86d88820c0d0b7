package dev.ttscluster.common.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into synthesis segments: one per sentence, and a sentence longer than the budget is
 * split at clause punctuation, then between words, then (for a single huge token) hard. Stateless
 * and thread-safe.
 */
public final class Segmenter {
    private final TextNormalizer normalizer = new TextNormalizer();
    private final SentenceSplitter splitter = new SentenceSplitter();
    private final int maxChars;

    /**
     * @param maxChars most characters in one segment (a proxy for the model's phone budget)
     * @throws IllegalArgumentException if maxChars is below 16
     */
    public Segmenter(int maxChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars must be at least 16");
        }
        this.maxChars = maxChars;
    }

    /** Normalizes and splits; returns an empty list when nothing is left to say. */
    public List<String> segments(String raw) {
        List<String> out = new ArrayList<>();
        for (String sentence : splitter.split(normalizer.normalize(raw))) {
            splitLong(sentence, out);
        }
        return out;
    }

    private void splitLong(String s, List<String> out) {
        if (s.length() <= maxChars) {
            out.add(s);
            return;
        }
        int cut = lastBreak(s, ",;:", maxChars);
        if (cut < maxChars / 3) {
            cut = lastBreak(s, " ", maxChars);
        }
        if (cut < maxChars / 3) {
            cut = maxChars;
        }
        String head = s.substring(0, cut).trim();
        String tail = s.substring(cut).trim();
        if (!head.isEmpty()) {
            out.add(head);
        }
        if (!tail.isEmpty()) {
            splitLong(tail, out);
        }
    }

    /** Index just after the last break character at or before {@code limit}, or -1. */
    private static int lastBreak(String s, String breaks, int limit) {
        for (int i = Math.min(limit, s.length()) - 1; i > 0; i--) {
            if (breaks.indexOf(s.charAt(i)) >= 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
