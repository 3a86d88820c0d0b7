package dev.ttscluster.worker.frontend;

import java.util.List;

/** Turns one normalized segment into the symbol ids of a model's phone set. Implementations are thread-safe. */
public interface Phonemizer {
    /**
     * @return symbol ids (never containing the padding id 0), possibly empty when nothing is speakable
     */
    long[] ids(String segment);

    /**
     * A spoken word of a segment and where its phones are among {@link #ids}.
     *
     * @param word the word as it is spoken (numbers and abbreviations written out)
     * @param from index of its first id
     * @param to index after its last id
     */
    record WordSpan(String word, int from, int to) {}

    /**
     * The spoken words of {@code segment} with their spans in {@code ids(segment)}, in order; pauses belong
     * to no word. The default knows no words and answers the whole segment as one span.
     */
    default List<WordSpan> words(String segment) {
        int n = ids(segment).length;
        return n == 0 ? List.of() : List.of(new WordSpan(segment.strip(), 0, n));
    }
}
