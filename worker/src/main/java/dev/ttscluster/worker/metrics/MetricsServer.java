package dev.ttscluster.worker.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.ttscluster.common.error.FatalException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} (Prometheus text format, e.g. {@link WorkerMetrics#render()}) on a port of its own,
 * one daemon thread per request.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving {@code body} on {@code host:port}.
     *
     * @throws FatalException when the port cannot be bound
     */
    public static MetricsServer start(String host, int port, Supplier<String> body) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
            s.createContext("/metrics", ex -> {
                byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            });
            s.setExecutor(r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                t.start();
            });
            s.start();
            return new MetricsServer(s);
        } catch (IOException e) {
            throw new FatalException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
