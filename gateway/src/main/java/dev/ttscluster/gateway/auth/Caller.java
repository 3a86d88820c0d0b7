package dev.ttscluster.gateway.auth;

import dev.ttscluster.gateway.tenants.Quota;

/**
 * Who made a request: the tenant and key a valid {@code Authorization: Bearer} header names, with the
 * key's quota already filled in from the gateway's defaults.
 *
 * @param tenant owner of everything the request creates or reads
 * @param keyId public id of the key (quotas and idempotency are per key)
 * @param quota the key's effective limits (no 0 fields)
 */
public record Caller(String tenant, String keyId, Quota quota) {}
