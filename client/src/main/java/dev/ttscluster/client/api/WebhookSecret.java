package dev.ttscluster.client.api;

/**
 * {@code GET /v1/webhooks/secret}: the caller's tenant, its signing secret, the header deliveries carry the
 * signature in, how it is computed, and whether this gateway delivers webhooks at all. Immutable.
 */
public record WebhookSecret(String tenant, String secret, String header, String scheme, boolean enabled) {}
