package dev.ttscluster.worker.retry;

/** Sleeps between retries; injected so tests never sleep ({@code Thread::sleep} in production). */
@FunctionalInterface
public interface Sleeper {
    /**
     * @throws InterruptedException when the sleeping thread is interrupted (the caller treats it as a stop)
     */
    void sleep(long ms) throws InterruptedException;
}
