/**
 * The worker process's wiring only: {@link dev.ttscluster.worker.Worker} assembles the stages (packages
 * ingest -> intake -> batch -> inference -> store -> commit, with assembly, cache, frontend, metrics, config,
 * logging and retry beside them) and {@link dev.ttscluster.worker.WorkerMain} runs it. No other package
 * imports this one.
 */
package dev.ttscluster.worker;
