package dev.ttscluster.gateway.jobs;

import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the project's topics when they are missing. Idempotent. */
public final class TopicProvisioner {
    private TopicProvisioner() {}

    /**
     * Ensures the segments topics (interactive and bulk lanes) and the dead-letter topic exist.
     *
     * @throws RetriableException when the broker cannot be reached in time
     */
    public static void ensureTopics(String bootstrap, int partitions, short replication) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<NewTopic> missing = new java.util.ArrayList<>();
            if (!existing.contains(Topics.SEGMENTS_INTERACTIVE)) {
                missing.add(new NewTopic(Topics.SEGMENTS_INTERACTIVE, partitions, replication));
            }
            if (!existing.contains(Topics.SEGMENTS_BULK)) {
                missing.add(new NewTopic(Topics.SEGMENTS_BULK, partitions, replication));
            }
            if (!existing.contains(Topics.SEGMENTS_DEAD_LETTER)) {
                missing.add(new NewTopic(Topics.SEGMENTS_DEAD_LETTER, 1, replication)
                        .configs(Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(14)))));
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new RetriableException(
                    Dependency.KAFKA, "could not create topics on " + bootstrap + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException(Dependency.KAFKA, "interrupted while creating topics", e);
        }
    }
}
