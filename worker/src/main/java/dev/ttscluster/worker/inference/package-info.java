/**
 * The inference stage: the DJL model bundle and its variants, the text frontends it needs, the batched model
 * call that isolates poison rows ({@link dev.ttscluster.worker.inference.RowIsolation},
 * {@link dev.ttscluster.worker.inference.ModelCall}), and {@link dev.ttscluster.worker.inference.BatchRunner},
 * which computes one batch and hands it to the store stage. Imports ingest (its contracts), intake (the
 * de-duplication), store, cache, frontend, logging, metrics and retry.
 */
package dev.ttscluster.worker.inference;
