package dev.ttscluster.gateway.api;

import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.config.GatewayConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;

/**
 * The HTTP server's settings: bind address and port, header and body bounds, idle timeouts, graceful stop,
 * JSON errors for what the server refuses before a route runs, and the project's JSON mapper. Stateless.
 */
final class ServerTuning {
    /** Largest header block (request line and headers) accepted; more gets 431. */
    static final int REQUEST_HEADER_BYTES = 16 * 1024;
    /** A connection silent this long is closed (a request's headers or body never finishing included). */
    static final long IDLE_TIMEOUT_MS = 15_000;
    /** How long a stopping server lets requests in flight finish. */
    static final long STOP_TIMEOUT_MS = 10_000;
    /** While stopping, a connection silent this long is closed (Jetty's default, 1 s, cut bodies in flight). */
    static final long SHUTDOWN_IDLE_TIMEOUT_MS = 5_000;

    private ServerTuning() {}

    /** Applies the settings to a Javalin configuration. */
    static void apply(JavalinConfig c, GatewayConfig cfg) {
        c.showJavalinBanner = false;
        c.http.maxRequestSize = Math.max(cfg.maxBodyBytes(), cfg.maxBookBytes()); // each route checks its own
        c.http.prefer405over404 = true;
        c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        c.jetty.modifyServer(server -> {
            // graceful stop: Jetty drains requests in flight only with a StatisticsHandler in the chain
            server.setHandler(new StatisticsHandler());
            server.setStopTimeout(STOP_TIMEOUT_MS);
            server.setErrorHandler(new JsonErrorHandler());
        });
        c.jetty.modifyHttpConfiguration(h -> {
            h.setRequestHeaderSize(REQUEST_HEADER_BYTES);
            h.setSendServerVersion(false);
        });
        c.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(cfg.bindHost());
            connector.setPort(cfg.port());
            connector.setIdleTimeout(IDLE_TIMEOUT_MS);
            connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
            return connector;
        });
    }
}
