package dev.ttscluster.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.config.ConfigDocs;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md is generated from the config classes. When it is stale this test rewrites it and
 * fails, so the change shows up in review.
 */
class ConfigReferenceTest {
    static String render() {
        return "# Configuration reference\n\n"
                + "Generated from the code by `ConfigReferenceTest` (run the test suite to refresh it). Every service reads\n"
                + "its configuration once from environment variables at start and refuses to start, naming the key, when\n"
                + "a value is invalid.\n\n"
                + "## Shared by gateway and worker\n\n" + ConfigDocs.table(InfraConfig.KEYS)
                + "\n## Gateway (`TTS_GATEWAY_*`)\n\n" + ConfigDocs.table(GatewayConfig.KEYS)
                + "\n## Worker (`TTS_WORKER_*`)\n\n" + ConfigDocs.table(WorkerConfig.KEYS);
    }

    @Test
    void configReferenceMatchesTheCode() throws Exception {
        Path file = Path.of(System.getProperty("tts.repo.root", "..")).resolve("docs/CONFIG.md");
        String expected = render();
        String actual = Files.exists(file) ? Files.readString(file) : "";
        if (!actual.equals(expected)) {
            Files.writeString(file, expected);
        }
        assertThat(actual)
                .as("docs/CONFIG.md was stale and has been regenerated; commit it")
                .isEqualTo(expected);
    }
}
