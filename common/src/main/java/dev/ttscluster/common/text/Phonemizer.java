package dev.ttscluster.common.text;

/** Turns one normalized segment into the symbol ids of a model's phone set. Implementations are thread-safe. */
public interface Phonemizer {
    /**
     * @return symbol ids (never containing the padding id 0), possibly empty when nothing is speakable
     */
    long[] ids(String segment);
}
