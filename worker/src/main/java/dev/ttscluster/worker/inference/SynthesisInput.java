package dev.ttscluster.worker.inference;

/**
 * One row of a batched synthesis call.
 *
 * @param phones phone ids, none of them padding; may be empty (gives a short silence)
 * @param speaker speaker id in the bundle
 * @param speed speaking rate
 */
public record SynthesisInput(long[] phones, int speaker, float speed) {}
