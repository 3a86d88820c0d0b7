package dev.ttscluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary shipped in the embedded-redis jar) on a free loopback port, without
 * persistence, for tests of the Redis stores. Start it once per test class and close it after.
 * Thread-safe.
 */
public final class LoopbackRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private LoopbackRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server.
     *
     * @throws UncheckedIOException when redis-server cannot start
     */
    public static LoopbackRedis start() {
        int port = LoopbackPorts.free();
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new LoopbackRedis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server failed to start on port " + port, e);
        }
    }

    /** {@code redis://127.0.0.1:port}, the form of the configs' Redis URL keys. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /**
     * Stops the server.
     *
     * @throws UncheckedIOException when it cannot be stopped
     */
    @Override
    public synchronized void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
