package dev.ttscluster.worker.assembly;

/**
 * Loudness normalization for audiobooks, in place on 16-bit samples: the RMS level of the speech (frames
 * of 50 ms quieter than -50 dBFS, the pauses, are left out of the measure) is brought to
 * {@value #TARGET_RMS_DBFS} dBFS, inside the -23 to -18 dBFS that audiobook platforms ask for, unless
 * that would push a peak past {@value #PEAK_CEILING_DBFS} dBFS, in which case the gain stops there.
 * Deterministic; stateless.
 */
public final class Loudness {
    public static final double TARGET_RMS_DBFS = -20.0;
    public static final double PEAK_CEILING_DBFS = -3.0;
    private static final double SILENCE_DBFS = -50.0;

    /**
     * What normalizing did.
     *
     * @param gainDb gain applied
     * @param rmsDbfsBefore speech RMS before, dBFS
     * @param rmsDbfsAfter speech RMS after, dBFS
     */
    public record Result(double gainDb, double rmsDbfsBefore, double rmsDbfsAfter) {}

    private Loudness() {}

    /** Normalizes {@code pcm} in place; silence stays silence. */
    public static Result normalize(short[] pcm) {
        int frame = 800; // 50 ms at 16 kHz; the measure does not depend much on it
        double sum = 0;
        long n = 0;
        int peak = 0;
        for (int start = 0; start < pcm.length; start += frame) {
            int end = Math.min(pcm.length, start + frame);
            double s = 0;
            for (int i = start; i < end; i++) {
                s += (double) pcm[i] * pcm[i];
                peak = Math.max(peak, Math.abs((int) pcm[i]));
            }
            double rms = Math.sqrt(s / Math.max(1, end - start)) / 32768.0;
            if (rms > 0 && 20 * Math.log10(rms) > SILENCE_DBFS) {
                sum += s;
                n += end - start;
            }
        }
        if (n == 0 || peak == 0) {
            return new Result(0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        }
        double before = 20 * Math.log10(Math.sqrt(sum / n) / 32768.0);
        double peakDb = 20 * Math.log10(peak / 32768.0);
        double gainDb = Math.min(TARGET_RMS_DBFS - before, PEAK_CEILING_DBFS - peakDb);
        double g = Math.pow(10, gainDb / 20);
        for (int i = 0; i < pcm.length; i++) {
            long v = Math.round(pcm[i] * g);
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return new Result(gainDb, before, before + gainDb);
    }
}
