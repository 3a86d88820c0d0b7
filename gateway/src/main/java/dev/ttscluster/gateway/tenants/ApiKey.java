package dev.ttscluster.gateway.tenants;

/**
 * A known API key, as the gateway sees it after a lookup: never the secret itself.
 *
 * @param id public identifier of the key (a prefix of its hash): names it in logs, quotas and records
 * @param tenant the tenant whose jobs, books and audio the key reaches
 * @param name a label given when the key was made
 * @param quota its own limits (0 fields: the gateway's defaults)
 * @param createdMs when it was made
 */
public record ApiKey(String id, String tenant, String name, Quota quota, long createdMs) {}
