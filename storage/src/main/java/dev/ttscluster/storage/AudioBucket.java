package dev.ttscluster.storage;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;

/**
 * The S3 bucket holding all audio. Internal requests go to the service endpoint; presigned URLs are
 * signed for the public endpoint clients use (signing is offline: no request is made). Thread-safe.
 *
 * <p>Methods throw {@link RetriableException} when S3 cannot be reached or answers with a server
 * error, and {@link FatalException} when it refuses the request (credentials, permissions).
 */
public final class AudioBucket {
    private final MinioClient client;
    private final MinioClient publicSigner;
    private final String bucket;

    public AudioBucket(InfraConfig cfg) {
        this.client = MinioClient.builder()
                .endpoint(cfg.s3Endpoint())
                .httpClient(httpClient())
                .credentials(cfg.s3AccessKey(), cfg.s3SecretKey())
                .region(cfg.s3Region())
                .build();
        this.publicSigner = MinioClient.builder()
                .endpoint(cfg.s3PublicEndpoint())
                .credentials(cfg.s3AccessKey(), cfg.s3SecretKey())
                .region(cfg.s3Region())
                .build();
        this.bucket = cfg.s3Bucket();
    }

    /**
     * An HTTP client whose sockets send at once (TCP_NODELAY): a PUT writes its headers and its body
     * separately, and with Nagle's algorithm the body waits for the server's delayed ACK (about
     * 40 ms per upload).
     */
    private static OkHttpClient httpClient() {
        SocketFactory noDelay = new NoDelaySocketFactory(SocketFactory.getDefault());
        return new OkHttpClient.Builder()
                .socketFactory(noDelay)
                .connectTimeout(5, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .retryOnConnectionFailure(true)
                .build();
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /** Writes (or overwrites) an object. */
    public void put(String key, byte[] data, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                        new ByteArrayInputStream(data), data.length, -1)
                .contentType(contentType)
                .build()));
    }

    /** Reads a whole object, or empty when it does not exist. */
    public Optional<byte[]> get(String key) {
        Optional<InputStream> in = open(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        return call(() -> {
            try (InputStream stream = in.get()) {
                return Optional.of(stream.readAllBytes());
            }
        });
    }

    /** Opens an object as a stream (caller closes), or empty when it does not exist. */
    public Optional<InputStream> open(String key) {
        return call(() -> {
            try {
                return Optional.<InputStream>of(client.getObject(
                        GetObjectArgs.builder().bucket(bucket).object(key).build()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.<InputStream>empty();
                }
                throw e;
            }
        });
    }

    /** A GET URL for one object on the public endpoint, valid for {@code ttl}. */
    public String presignGet(String key, Duration ttl) {
        return call(() -> publicSigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET)
                .bucket(bucket)
                .object(key)
                .expiry((int) ttl.toSeconds())
                .build()));
    }

    /** An object's key, size and last change, as a listing gives them. */
    public record ObjectInfo(String key, long size, java.time.Instant lastModified) {}

    /**
     * Every object whose key starts with {@code prefix}, in key order, listed page by page; {@code visit}
     * is called once per object.
     */
    public void list(String prefix, java.util.function.Consumer<ObjectInfo> visit) {
        call(() -> {
            for (io.minio.Result<io.minio.messages.Item> r : client.listObjects(io.minio.ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                io.minio.messages.Item it = r.get();
                if (!it.isDir()) {
                    visit.accept(new ObjectInfo(
                            it.objectName(),
                            it.size(),
                            it.lastModified() == null
                                    ? java.time.Instant.EPOCH
                                    : it.lastModified().toInstant()));
                }
            }
            return null;
        });
    }

    /** Deletes objects (absent ones are no error). */
    public void delete(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        call(() -> {
            java.util.List<io.minio.messages.DeleteObject> objs =
                    keys.stream().map(io.minio.messages.DeleteObject::new).toList();
            for (io.minio.Result<io.minio.messages.DeleteError> r :
                    client.removeObjects(io.minio.RemoveObjectsArgs.builder()
                            .bucket(bucket)
                            .objects(objs)
                            .build())) {
                io.minio.messages.DeleteError err = r.get();
                if (!"NoSuchKey".equals(err.code())) {
                    throw new RetriableException(
                            Dependency.S3,
                            "S3 could not delete " + err.objectName() + ": " + err.code() + " " + err.message());
                }
            }
            return null;
        });
    }

    /** Deletes every object under {@code prefix}; returns how many there were. */
    public int deletePrefix(String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        list(prefix, o -> keys.add(o.key()));
        for (int i = 0; i < keys.size(); i += 1000) {
            delete(keys.subList(i, Math.min(keys.size(), i + 1000)));
        }
        return keys.size();
    }

    /** Name of the bucket. */
    public String bucket() {
        return bucket;
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(S3Call<T> op) {
        try {
            return op.run();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            int http = e.response() == null ? 0 : e.response().code();
            if (http >= 500 || "SlowDown".equals(code) || "ServiceUnavailable".equals(code)) {
                throw new RetriableException(Dependency.S3, "S3 error " + code + ": " + e.getMessage(), e);
            }
            throw new FatalException("S3 refused the request: " + code + ": " + e.getMessage(), e);
        } catch (java.io.IOException | io.minio.errors.ServerException e) {
            throw new RetriableException(Dependency.S3, "S3 unavailable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new FatalException("S3 client error: " + e.getMessage(), e);
        }
    }
}
