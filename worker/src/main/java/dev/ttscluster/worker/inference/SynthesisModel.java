package dev.ttscluster.worker.inference;

import java.util.List;

/**
 * A speech model that synthesizes a batch of rows in one call. Output depends only on each row
 * (never on its batch neighbours) and is deterministic. Implementations are NOT thread-safe unless
 * they say so: one inference thread owns one instance.
 */
public interface SynthesisModel extends AutoCloseable {
    /**
     * Synthesizes every row, in order.
     *
     * @throws dev.ttscluster.common.error.FatalException when the model rejects the input
     */
    List<SynthesisOutput> synthesize(List<SynthesisInput> rows);

    /** The bundle's manifest. */
    ModelManifest manifest();

    /** Where it runs, for logs (e.g. {@code cpu()}). */
    default String device() {
        return "cpu()";
    }

    /**
     * True when it computes in half precision: its audio then differs slightly from the FP32 model's, so
     * cached audio is keyed apart.
     */
    default boolean halfPrecision() {
        return false;
    }

    @Override
    void close();
}
