package dev.ttscluster.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped in the embedded-redis jar) on loopback. The
 * job-state role runs with append-only persistence and no eviction; the cache role with a memory
 * bound and allkeys-lru. Data in {@code dir} survives a restart.
 */
public final class RedisNode implements AutoCloseable {
    /** What an instance is for; decides persistence and eviction. */
    public enum Role {
        JOB_STATE,
        CACHE
    }

    private final Path dir;
    private final int port;
    private final Role role;
    private RedisServer server;

    public RedisNode(Path dir, int port, Role role) {
        this.dir = dir;
        this.port = port;
        this.role = role;
    }

    /**
     * Starts the server.
     *
     * @throws UncheckedIOException when it cannot start
     */
    public synchronized RedisNode start() {
        try {
            Files.createDirectories(dir);
            var b = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("protected-mode no")
                    .setting("save \"\"");
            if (role == Role.JOB_STATE) {
                b.setting("appendonly yes").setting("appendfsync everysec").setting("maxmemory-policy noeviction");
            } else {
                b.setting("appendonly no").setting("maxmemory 256mb").setting("maxmemory-policy allkeys-lru");
            }
            server = b.build();
            server.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server failed to start on port " + port, e);
        }
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops the server with SIGTERM and waits for it to exit. That is Redis's graceful shutdown: with
     * append-only persistence (the job-state role) it writes and fsyncs the append-only file before
     * exiting, so a {@link #start()} on the same directory loads every acknowledged write.
     */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
