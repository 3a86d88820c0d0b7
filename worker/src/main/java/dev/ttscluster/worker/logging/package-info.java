/**
 * Log context of the worker: which job (and trace) every log line written while a segment or a batch is
 * handled belongs to. Used by every stage; imports no other worker package.
 */
package dev.ttscluster.worker.logging;
