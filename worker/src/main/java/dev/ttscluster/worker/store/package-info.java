/**
 * The store stage: uploads a segment's audio under its deterministic key, counts it in its job's
 * progress, triggers the job's (or chapter's) assembly when its count completes the job, and gives up on
 * segments that failed for good (dead-letter topic, failed job). Imports assembly, frontend (word timings),
 * logging, metrics and retry; no earlier stage.
 */
package dev.ttscluster.worker.store;
