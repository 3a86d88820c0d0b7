package dev.ttscluster.deploy.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server (s3proxy with its filesystem backend) on loopback, with credentials and
 * signature checking, so presigned URLs and their expiry are enforced. Objects in {@code dir}
 * survive a restart.
 */
public final class S3Node implements AutoCloseable {
    private final Path dir;
    private final String host;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    public S3Node(Path dir, int port, String accessKey, String secretKey) {
        this(dir, "127.0.0.1", port, accessKey, secretKey);
    }

    /** A server bound to {@code host} (another machine's address, or a network namespace's). */
    public S3Node(Path dir, String host, int port, String accessKey, String secretKey) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts serving.
     *
     * @throws IllegalStateException when it cannot start
     */
    public synchronized S3Node start() {
        try {
            Files.createDirectories(dir);
            proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                    .endpoint(URI.create("http://" + host + ":" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("S3 server failed to start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /** Stops serving (connections to the port are refused until {@link #start()}); objects are kept. */
    public synchronized void stop() {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            proxy = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
