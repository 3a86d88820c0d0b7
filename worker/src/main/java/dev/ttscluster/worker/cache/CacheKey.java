package dev.ttscluster.worker.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache identity of a synthesized segment: everything that changes its audio and nothing else.
 * The model bundle's version (the content hash of its weights), the speaker, the speed, and the phone
 * ids of the whole segment, pauses at its edges included: a segment is synthesized on its own, so its
 * edges are its context, and the same words in another sentence have other phones at the edges and
 * another key. Never the job: identical segments of different jobs share one entry. Immutable.
 */
public final class CacheKey {
    /** Bump when the value format or the meaning of a key changes: old entries are then never read. */
    static final String SCHEMA = "v1";

    private static final String PREFIX = "tts:cache:" + SCHEMA + ":";

    private CacheKey() {}

    /**
     * The Redis key of a segment's audio.
     *
     * @param bundleVersion the model bundle's content hash
     * @param speaker speaker id in the bundle
     * @param speed speaking rate as passed to the model
     * @param phones phone ids of the whole segment
     */
    public static String of(String bundleVersion, int speaker, float speed, long[] phones) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
        sha.update(bundleVersion.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 8 * phones.length);
        b.putInt(0); // separator after the variable-length version
        b.putInt(speaker);
        b.putInt(Float.floatToIntBits(speed));
        for (long p : phones) {
            b.putLong(p);
        }
        sha.update(b.array());
        return PREFIX + HexFormat.of().formatHex(sha.digest(), 0, 20);
    }
}
