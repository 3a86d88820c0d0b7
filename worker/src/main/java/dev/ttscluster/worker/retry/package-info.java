/**
 * Retrying calls to backing servers while the worker runs, and the {@link dev.ttscluster.worker.retry.Stopped}
 * signal that abandons a batch when it stops. Used by every stage that talks to a server; imports no other
 * worker package.
 */
package dev.ttscluster.worker.retry;
