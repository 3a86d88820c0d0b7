package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.config.GatewayConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The browser page at {@code /} and its assets under {@code /web/}, and {@code GET /openapi.json}: no API key
 * needed (the page asks for one and sends it on its own calls). Assets come from the classpath folder
 * {@code web/}, with their content types and a strict Content-Security-Policy (this origin only; audio from
 * Blob URLs the page makes from {@code GET /v1/jobs/{id}/audio}).
 */
public final class WebRoutes {
    /** Path prefix of the page's assets; they are not API routes (the OpenAPI test leaves them out). */
    public static final String ASSETS = "/web/";

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");
    private static final Set<String> ASSET_NAMES = Set.of("app.js", "app.css", "icon.svg");

    private final GatewayConfig cfg;
    private final byte[] openApi;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private WebRoutes(GatewayConfig cfg) {
        this.cfg = cfg;
        for (String name : TYPES.keySet()) {
            files.put(name, resource("web/" + name));
        }
        this.openApi = resource("openapi.json");
    }

    /** Registers {@code GET /}, {@code GET /web/{file}}, {@code GET /web/config.json} and {@code GET /openapi.json}. */
    public static void register(Javalin app, GatewayConfig cfg) {
        WebRoutes w = new WebRoutes(cfg);
        app.get("/", ctx -> w.send(ctx, "index.html"));
        app.get(ASSETS + "config.json", w::config);
        app.get(ASSETS + "{file}", ctx -> {
            String name = ctx.pathParam("file");
            if (!ASSET_NAMES.contains(name)) {
                throw ApiException.notFound(
                        "no file '" + dev.ttscluster.gateway.jobs.JobRequest.abbreviate(name) + "'");
            }
            w.send(ctx, name);
        });
        app.get("/openapi.json", ctx -> {
            secure(ctx);
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType("application/json").result(w.openApi);
        });
    }

    private void send(Context ctx, String name) {
        secure(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(TYPES.get(name)).result(files.get(name));
    }

    /** What the page needs to know before it has a key: the voices served, the text limit, the speed range. */
    private void config(Context ctx) {
        secure(ctx);
        ctx.header("Cache-Control", "no-cache");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("voices", cfg.voices());
        m.put("formats", cfg.formats());
        m.put("max_text_chars", cfg.maxTextChars());
        m.put("speed_min", 0.25);
        m.put("speed_max", 4.0);
        ctx.json(m);
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
    }

    private static byte[] resource(String path) {
        try (InputStream in = WebRoutes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the gateway's classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
