package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Caller;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * Creates work (a job or a book) as active work of its caller, for the creating routes. Thread-safe.
 */
final class Admitted {
    private final Admission admission;
    private final Idempotency idempotency;

    Admitted(Admission admission, Idempotency idempotency) {
        this.admission = admission;
        this.idempotency = idempotency;
    }

    /**
     * Admits {@code member} under the caller's concurrency quota, then runs {@code create}. When either fails, the
     * admission and the request's Idempotency-Key claim are given back, so a retry may create it.
     *
     * @throws ApiException 429 when the caller is at its limit; whatever {@code create} throws
     */
    <T> T create(Context ctx, Caller caller, String member, Supplier<T> create) {
        try {
            admission.admit(caller, member);
            try {
                return create.get();
            } catch (RuntimeException e) {
                admission.release(caller, member);
                throw e;
            }
        } catch (RuntimeException e) {
            idempotency.release(ctx, caller);
            throw e;
        }
    }
}
