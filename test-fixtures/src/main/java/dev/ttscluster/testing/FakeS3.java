package dev.ttscluster.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of S3 on loopback for uploads and reads in tests: PUT stores an object, GET and HEAD
 * return it or S3's NoSuchKey error; signatures are not checked and there are no listings or deletes.
 * Keys are {@code bucket/object}. It starts listening when constructed and stops on {@link #close()}.
 * Thread-safe.
 */
public final class FakeS3 implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicInteger failPuts = new AtomicInteger();

    /**
     * Starts the server on a free loopback port.
     *
     * @throws UncheckedIOException when no port can be bound
     */
    public FakeS3() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port}, the form of the configs' S3 endpoint key. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The object stored under {@code bucket/key}, or null. */
    public byte[] get(String bucket, String key) {
        return objects.get(bucket + "/" + key);
    }

    /** The next {@code n} PUTs fail with 503 ServiceUnavailable (a retriable S3 error) and store nothing. */
    public void failNextPuts(int n) {
        failPuts.set(n);
    }

    /** Keys ({@code bucket/object}) of every stored object. */
    public Set<String> keys() {
        return Map.copyOf(objects).keySet();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring(1);
        byte[] body = x.getRequestBody().readAllBytes();
        switch (x.getRequestMethod()) {
            case "PUT" -> {
                if (failPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    byte[] err = error("ServiceUnavailable", "try again", path);
                    x.getResponseHeaders().add("Content-Type", "application/xml");
                    x.sendResponseHeaders(503, err.length);
                    x.getResponseBody().write(err);
                    x.close();
                    return;
                }
                objects.put(path, body);
                x.getResponseHeaders().add("ETag", etag(body));
                x.sendResponseHeaders(200, -1);
            }
            case "GET", "HEAD" -> {
                boolean head = x.getRequestMethod().equals("HEAD");
                byte[] o = objects.get(path);
                if (o == null) {
                    byte[] err = error("NoSuchKey", "no such key", path);
                    x.getResponseHeaders().add("Content-Type", "application/xml");
                    x.sendResponseHeaders(404, head ? -1 : err.length);
                    if (!head) {
                        x.getResponseBody().write(err);
                    }
                } else {
                    x.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    x.getResponseHeaders().add("ETag", etag(o));
                    x.sendResponseHeaders(200, head ? -1 : o.length);
                    if (!head) {
                        x.getResponseBody().write(o);
                    }
                }
            }
            default -> x.sendResponseHeaders(405, -1);
        }
        x.close();
    }

    private static byte[] error(String code, String message, String key) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><Key>" + key + "</Key></Error>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String etag(byte[] body) {
        return "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"";
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
    }
}
