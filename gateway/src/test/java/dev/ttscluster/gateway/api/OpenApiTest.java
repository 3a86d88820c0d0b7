package dev.ttscluster.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} against the routes the gateway really registers: a route added without documentation
 * (or documented but gone) fails here, named. Also the page's and the document's content types and headers,
 * served by the real app on a loopback port without a key.
 */
class OpenApiTest {
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static Javalin app;
    private static HttpClient http;
    private static String base;

    /**
     * The gateway's app with every route, built from {@link HttpApi}'s widest constructor: the configuration and
     * the metrics are real, other collaborators null (no route runs into them here).
     */
    static Javalin build() throws Exception {
        GatewayConfig cfg = GatewayConfig.fromEnv(Map.of(
                "TTS_S3_ACCESS_KEY",
                "ak",
                "TTS_S3_SECRET_KEY",
                "sk",
                "TTS_GATEWAY_PORT",
                "0",
                "TTS_GATEWAY_BIND_HOST",
                "127.0.0.1"));
        Constructor<?> c = java.util.Arrays.stream(HttpApi.class.getConstructors())
                .max(Comparator.comparingInt(Constructor::getParameterCount))
                .orElseThrow();
        Object[] args = new Object[c.getParameterCount()];
        Class<?>[] types = c.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            Class<?> t = types[i];
            Object a = null;
            if (t == GatewayConfig.class) {
                a = cfg;
            } else if (t == GatewayMetrics.class) {
                a = new GatewayMetrics();
            } else if (t == BooleanSupplier.class) {
                a = (BooleanSupplier) () -> true;
            } else if (t.isPrimitive()) {
                a = java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(t, 1), 0); // the type's zero
            }
            args[i] = a;
        }
        HttpApi api = (HttpApi) c.newInstance(args);
        // optional features wired by a fluent setter (HttpApi events(...), webhooks(...)) register their routes only
        // when set: set each to a bare instance of its type (no constructor run; the routes are only registered)
        for (java.lang.reflect.Method m : HttpApi.class.getMethods()) {
            if (m.getReturnType() == HttpApi.class
                    && m.getParameterCount() == 1
                    && !java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                m.invoke(api, bare(m.getParameterTypes()[0]));
            }
        }
        return api.create();
    }

    /** An instance of {@code type} made without running a constructor (an interface: a proxy answering null). */
    private static Object bare(Class<?> type) throws Exception {
        if (type.isInterface()) {
            return java.lang.reflect.Proxy.newProxyInstance(
                    type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null);
        }
        java.lang.reflect.Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        return unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, type);
    }

    @BeforeAll
    static void start() throws Exception {
        app = build().start();
        int port = ((org.eclipse.jetty.server.ServerConnector)
                        app.jettyServer().server().getConnectors()[0])
                .getLocalPort();
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** "METHOD /path" of every endpoint registered, HEAD/OPTIONS, before/after handlers and page assets left out. */
    static Set<String> registered(Javalin app) {
        Set<String> out = new TreeSet<>();
        for (ParsedEndpoint p : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            Endpoint e = p.getEndpoint();
            HandlerType m = e.getMethod();
            if (!m.isHttpMethod()
                    || m == HandlerType.HEAD
                    || m == HandlerType.OPTIONS
                    || e.getPath().startsWith(WebRoutes.ASSETS)) {
                continue;
            }
            out.add(m.name() + " " + e.getPath());
        }
        return out;
    }

    static JsonNode document() throws Exception {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream("openapi.json")) {
            assertThat(in).as("openapi.json on the gateway's classpath").isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }

    static Set<String> documented(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<String> ms = p.getValue().fieldNames(); ms.hasNext(); ) {
                String m = ms.next();
                if (METHODS.contains(m) && !m.equals("head") && !m.equals("options")) {
                    out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                }
            }
        }
        return out;
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() throws Exception {
        Set<String> routes = registered(app);
        Set<String> documented = documented(document());
        assertThat(routes).as("routes registered").contains("POST /v1/jobs", "GET /", "GET /openapi.json");
        Set<String> missing =
                routes.stream().filter(r -> !documented.contains(r)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> extra =
                documented.stream().filter(r -> !routes.contains(r)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing)
                .as("routes the gateway registers that gateway/src/main/resources/openapi.json does not "
                        + "describe (add them there)")
                .isEmpty();
        assertThat(extra)
                .as("routes openapi.json describes that the gateway does not register")
                .isEmpty();
    }

    @Test
    void theDocumentIsOpenApi31WithBearerErrorsAndWellFormedOperations() throws Exception {
        JsonNode doc = document();
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
        assertThat(doc.at("/components/schemas/Error/required").toString()).contains("error", "message");
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            Set<String> params = new TreeSet<>();
            java.util.regex.Matcher mm =
                    java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(p.getKey());
            while (mm.find()) {
                params.add(mm.group(1));
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String where = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey();
                JsonNode o = op.getValue();
                assertThat(o.path("summary").asText()).as(where + " summary").isNotBlank();
                assertThat(o.path("responses").size()).as(where + " responses").isPositive();
                boolean isPublic = o.has("security") && o.path("security").isEmpty();
                if (p.getKey().startsWith("/v1/")) {
                    assertThat(isPublic).as(where + " needs the key").isFalse();
                    assertThat(o.path("responses").has("401"))
                            .as(where + " documents 401")
                            .isTrue();
                } else {
                    assertThat(isPublic).as(where + " is public (security: [])").isTrue();
                }
                Set<String> declared = new TreeSet<>();
                for (JsonNode par : o.path("parameters")) {
                    declared.add(resolve(doc, par).path("in").asText() + ":"
                            + resolve(doc, par).path("name").asText());
                }
                for (JsonNode par : p.getValue().path("parameters")) {
                    declared.add(resolve(doc, par).path("in").asText() + ":"
                            + resolve(doc, par).path("name").asText());
                }
                for (String name : params) {
                    assertThat(declared)
                            .as(where + " declares path parameter " + name)
                            .contains("path:" + name);
                }
                refsResolve(doc, o, where);
            }
        }
    }

    private static JsonNode resolve(JsonNode doc, JsonNode n) {
        return n.has("$ref") ? doc.at(n.path("$ref").asText().substring(1)) : n;
    }

    private static void refsResolve(JsonNode doc, JsonNode n, String where) {
        if (n.isObject()) {
            if (n.has("$ref")) {
                String ref = n.path("$ref").asText();
                assertThat(ref).as(where).startsWith("#/");
                assertThat(doc.at(ref.substring(1)).isMissingNode())
                        .as(where + " reference " + ref + " resolves")
                        .isFalse();
            }
            n.elements().forEachRemaining(c -> refsResolve(doc, c, where));
        } else if (n.isArray()) {
            n.elements().forEachRemaining(c -> refsResolve(doc, c, where));
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openApiJsonIsServedWithoutAKey() throws Exception {
        HttpResponse<String> r = get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(Json.MAPPER.readTree(r.body())).isEqualTo(document());
    }

    @Test
    void thePageAndItsAssetsAreServedWithoutAKeyWithTypesAndAStrictPolicy() throws Exception {
        Map<String, String> types = Map.of(
                "/",
                "text/html",
                "/web/app.js",
                "text/javascript",
                "/web/app.css",
                "text/css",
                "/web/icon.svg",
                "image/svg+xml",
                "/web/config.json",
                "application/json");
        for (Map.Entry<String, String> t : types.entrySet()) {
            HttpResponse<String> r = get(t.getKey());
            assertThat(r.statusCode()).as(t.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as(t.getKey())
                    .startsWith(t.getValue());
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp)
                    .as(t.getKey())
                    .contains("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
            assertThat(r.headers().firstValue("X-Content-Type-Options").orElse(""))
                    .isEqualTo("nosniff");
        }
        String page = get("/").body();
        assertThat(page)
                .contains(
                        "<label for=\"text\"",
                        "<label for=\"voice\"",
                        "<label for=\"speed\"",
                        "<label for=\"key\"",
                        "src=\"/web/app.js\"",
                        "name=\"viewport\"")
                .doesNotContain("<script>", "style=\"", "onclick");
        JsonNode cfg = Json.MAPPER.readTree(get("/web/config.json").body());
        assertThat(cfg.path("voices").get(0).asText()).isEqualTo("slt");
        HttpResponse<String> missing = get("/web/nope.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(missing.body()).path("error").asText()).isEqualTo("not_found");
    }
}
