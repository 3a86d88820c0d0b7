package dev.ttscluster.client.api;

/** One entry of {@code GET /v1/models}: its id (e.g. {@code tts-1}), object type and owner. Immutable. */
public record ModelInfo(String id, String object, long created, String ownedBy) {}
