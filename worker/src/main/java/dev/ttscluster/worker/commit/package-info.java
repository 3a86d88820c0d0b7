/**
 * The last stage: which offsets may be committed when records finish out of order, and committing them
 * (asynchronously while running, synchronously before partitions go and at the end). Imports no other
 * worker package.
 */
package dev.ttscluster.worker.commit;
