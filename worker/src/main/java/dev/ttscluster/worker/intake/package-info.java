/**
 * The intake stage: what happens to a segment before it is batched (the text frontend, serving cache hits
 * at poll time) and the de-duplication of a batch's rows against audio this worker just made. Implements
 * the poll loop's {@link dev.ttscluster.worker.ingest.Intake}; imports ingest (its contracts), cache,
 * frontend, logging, metrics and store; never inference.
 */
package dev.ttscluster.worker.intake;
