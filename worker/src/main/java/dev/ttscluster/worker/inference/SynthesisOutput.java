package dev.ttscluster.worker.inference;

/**
 * The audio of one row.
 *
 * @param samples waveform in [-1, 1], exactly this row's length
 * @param durations frames per input phone
 */
public record SynthesisOutput(float[] samples, long[] durations) {}
