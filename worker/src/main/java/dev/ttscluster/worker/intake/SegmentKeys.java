package dev.ttscluster.worker.intake;

import dev.ttscluster.worker.cache.CacheKey;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.ingest.Prepared;
import java.util.function.ToIntFunction;

/**
 * A segment's cache identity: what its audio is a function of (the model's weights, the speaker, the
 * speed, the phones), never its job. Thread-safe when the phonemizer is.
 */
public final class SegmentKeys {
    private final String weights;
    private final ToIntFunction<String> speakerOf;
    private final Phonemizer phonemizer;

    /**
     * @param weights what the audio is a function of besides the row ({@link #weights(String, boolean)})
     * @param speakerOf the model's speaker id of a voice name; negative when the model lacks it
     * @param phonemizer the phones of a segment not prepared at intake
     */
    public SegmentKeys(String weights, ToIntFunction<String> speakerOf, Phonemizer phonemizer) {
        this.weights = weights;
        this.speakerOf = speakerOf;
        this.phonemizer = phonemizer;
    }

    /** The bundle's version, and FP16 when the model runs so (its audio differs slightly from FP32's). */
    public static String weights(String bundleVersion, boolean halfPrecision) {
        return halfPrecision ? bundleVersion + "-fp16" : bundleVersion;
    }

    /** The model's speaker id of {@code voice}; negative when the model lacks it. */
    public int speaker(String voice) {
        return speakerOf.applyAsInt(voice);
    }

    /** The segment's phone ids: those intake found, else the frontend's now. */
    public long[] phones(Prepared p) {
        return p.phones() != null ? p.phones() : phonemizer.ids(p.task().text());
    }

    /** The key of a prepared segment; null when its voice is not in the model (it fails in its batch). */
    public String of(Prepared p) {
        int speaker = speaker(p.task().voice());
        return speaker < 0 ? null : of(speaker, (float) p.task().speed(), phones(p));
    }

    /** The key of a model row: these phones spoken by this speaker at this speed. */
    public String of(int speaker, float speed, long[] phones) {
        return CacheKey.of(weights, speaker, speed, phones);
    }
}
