package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.tenants.IdempotencyStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header of a creating POST. The first request with a key claims it for the id
 * it is about to create; a replay with the same key and the same request (route, content type, query and
 * body) gets the id of what the first one created, and a replay with another request is refused. Thread-safe.
 */
final class Idempotency {
    static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final IdempotencyStore store;

    Idempotency(IdempotencyStore store) {
        this.store = store;
    }

    /** A claimed key: release it if the work is not created after all. */
    record Claim(Caller caller, String header) {}

    /**
     * Claims the request's key, if it sent one.
     *
     * @return the id created by an earlier identical request, or empty when this request goes on (having
     *     claimed the key, if any, for {@code newId})
     * @throws ApiException 400 for a malformed key, 422 when the key was used with another request
     */
    Optional<String> replayOf(Context ctx, Caller caller, byte[] body, String newId) {
        String header = ctx.header(HEADER);
        if (header == null) {
            return Optional.empty();
        }
        if (!VALID.matcher(header).matches()) {
            throw ApiException.badRequest(HEADER + " must be 1 to 255 visible ASCII characters");
        }
        String fp = fingerprint(ctx, body);
        Optional<IdempotencyStore.Claim> prior = store.claim(caller.keyId(), header, fp, newId);
        if (prior.isEmpty()) {
            return Optional.empty();
        }
        if (!prior.get().fingerprint().equals(fp)) {
            throw new ApiException(
                    422,
                    "idempotency_key_reused",
                    "this " + HEADER + " was used with a different " + "request; send a new key for new work");
        }
        return Optional.of(prior.get().createdId());
    }

    /** Gives the key back after the work could not be created, so a retry may create it. Never throws. */
    void release(Context ctx, Caller caller) {
        String header = ctx.header(HEADER);
        if (header == null || !VALID.matcher(header).matches()) {
            return;
        }
        try {
            store.release(caller.keyId(), header);
        } catch (RuntimeException e) {
            // the claim then points at nothing: a replay answers 409 until the claim expires
        }
    }

    private static String fingerprint(Context ctx, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((ctx.method() + " " + ctx.path() + "\n" + ctx.contentType() + "\n" + ctx.queryString() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            d.update(body);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
