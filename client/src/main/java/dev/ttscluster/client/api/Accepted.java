package dev.ttscluster.client.api;

/**
 * A {@code 202 Accepted} answer: the resource's view, its {@code Location} and whether an Idempotency-Key replay
 * returned the first resource ({@code Idempotent-Replayed: true}). Immutable.
 *
 * @param <T> the view's type
 */
public record Accepted<T>(T view, String location, boolean replayed) {}
