package dev.ttscluster.deploy.local;

import java.util.Map;

/**
 * The servers a cluster's services talk to (Kafka, job-state Redis, S3), however they run: in this
 * JVM and as local processes ({@link LocalServers}) or as containers (the {@code containers} test
 * profile).
 */
public interface BackingServers extends AutoCloseable {
    /** Environment variables (the shared InfraConfig keys) pointing services at these servers. */
    Map<String, String> env();

    @Override
    void close();
}
