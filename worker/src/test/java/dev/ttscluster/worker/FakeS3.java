package dev.ttscluster.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of S3 on loopback for the worker's uploads in tests: PUT stores an object, GET returns
 * it or S3's NoSuchKey error; signatures are not checked. Keys are {@code bucket/object}. Thread-safe.
 */
public final class FakeS3 implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger failPuts = new java.util.concurrent.atomic.AtomicInteger();

    public FakeS3() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

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
    public java.util.Set<String> keys() {
        return Map.copyOf(objects).keySet();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring(1);
        byte[] body = x.getRequestBody().readAllBytes();
        switch (x.getRequestMethod()) {
            case "PUT" -> {
                if (failPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    byte[] err = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code>"
                            + "<Message>try again</Message><Key>" + path + "</Key></Error>").getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("Content-Type", "application/xml");
                    x.sendResponseHeaders(503, err.length);
                    x.getResponseBody().write(err);
                    x.close();
                    return;
                }
                objects.put(path, body);
                x.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"");
                x.sendResponseHeaders(200, -1);
            }
            case "GET", "HEAD" -> {
                byte[] o = objects.get(path);
                if (o == null) {
                    byte[] err = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                            + "<Message>no such key</Message><Key>" + path + "</Key></Error>").getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("Content-Type", "application/xml");
                    x.sendResponseHeaders(404, x.getRequestMethod().equals("HEAD") ? -1 : err.length);
                    if (!x.getRequestMethod().equals("HEAD")) {
                        x.getResponseBody().write(err);
                    }
                } else {
                    x.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    x.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(o)) + "\"");
                    x.sendResponseHeaders(200, x.getRequestMethod().equals("HEAD") ? -1 : o.length);
                    if (!x.getRequestMethod().equals("HEAD")) {
                        x.getResponseBody().write(o);
                    }
                }
            }
            default -> x.sendResponseHeaders(405, -1);
        }
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
