package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Authenticator;
import dev.ttscluster.gateway.auth.Caller;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Guards every {@code /v1} route: resolves the caller from the {@code Authorization} header (401 without a
 * valid key) and takes one request from its rate quota (429 over it), before the route runs. Routes read the
 * caller with {@link #caller}. Thread-safe.
 */
final class AuthFilter {
    private static final String CALLER = "tts.caller";

    private final Authenticator auth;
    private final Admission admission;

    AuthFilter(Authenticator auth, Admission admission) {
        this.auth = auth;
        this.admission = admission;
    }

    /** Adds the filter before every {@code /v1/*} route. */
    void register(Javalin app) {
        app.before("/v1/*", this::authorize);
    }

    private void authorize(Context ctx) {
        Caller caller = auth.authenticate(ctx.header("Authorization"));
        ctx.attribute(CALLER, caller);
        admission.request(caller);
    }

    /**
     * The request's caller, set by the filter.
     *
     * @throws IllegalStateException when the route was reached without the filter (a wiring fault: 500)
     */
    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("route reached without authorization: " + ctx.path());
        }
        return c;
    }
}
