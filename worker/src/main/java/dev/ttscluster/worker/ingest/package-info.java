/**
 * The first stage: the Kafka poll loop ({@link dev.ttscluster.worker.ingest.SegmentConsumerLoop}) with its
 * lanes, rebalancing, record decoding, intake routing and the durable steps in flight, and the contracts the
 * later stages implement for it: {@link dev.ttscluster.worker.ingest.Intake} (prepare, serve at poll time),
 * {@link dev.ttscluster.worker.ingest.BatchProcessor} (compute a batch) and
 * {@link dev.ttscluster.worker.ingest.Durable} (make it durable). Imports batch, commit, logging, metrics and
 * retry; never a later stage (intake, inference, store implement its contracts instead).
 */
package dev.ttscluster.worker.ingest;
