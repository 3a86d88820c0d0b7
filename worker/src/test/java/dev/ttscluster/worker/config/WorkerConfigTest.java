package dev.ttscluster.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.testing.Env;
import dev.ttscluster.testing.RepoRoot;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.inference.DeviceChoice;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {
    private static Map<String, String> env(String... kv) {
        return Env.s3Credentials()
                .with(WorkerConfig.MODEL_DIR, RepoRoot.path().resolve("models/placeholder"))
                .and(kv);
    }

    @Test
    void defaultsAreBatchedWithABudgetGroupingAndOverlappedUploads() {
        WorkerConfig c = WorkerConfig.fromEnv(env());

        assertThat(c.mode()).isEqualTo(WorkerConfig.Mode.BATCHED);
        assertThat(c.batch()).isEqualTo(new BatchPolicy(16, 2048, 50, true));
        assertThat(c.storeInFlight()).isEqualTo(2);
        assertThat(c.uploadThreads()).isEqualTo(4);
        assertThat(c.metricsPort()).isEqualTo(9464);
        assertThat(c.maxAttempts()).isEqualTo(3);
        assertThat(c.faultInjectText()).isEmpty();
    }

    @Test
    void attemptsBeforeDeadLetteringAreBoundedAndFaultInjectionIsOffUnlessSet() {
        WorkerConfig c =
                WorkerConfig.fromEnv(env("TTS_WORKER_MAX_ATTEMPTS", "5", "TTS_WORKER_FAULT_INJECT_TEXT", "xqz"));

        assertThat(c.maxAttempts()).isEqualTo(5);
        assertThat(c.faultInjectText()).isEqualTo("xqz");
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_MAX_ATTEMPTS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_MAX_ATTEMPTS");
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_MAX_ATTEMPTS", "11")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_MAX_ATTEMPTS");
    }

    @Test
    void perRequestModeIgnoresBatchKeysAndServesOneSegmentAtATime() {
        WorkerConfig c = WorkerConfig.fromEnv(env(
                "TTS_WORKER_MODE",
                "per-request",
                "TTS_WORKER_BATCH_MAX_SIZE",
                "32",
                "TTS_WORKER_STORE_IN_FLIGHT",
                "4"));

        assertThat(c.batch()).isEqualTo(BatchPolicy.perRequest());
        assertThat(c.storeInFlight()).isZero();
        assertThat(c.uploadThreads()).isEqualTo(1);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_MODE", "turbo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_MODE");
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_BATCH_MAX_TOKENS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_BATCH_MAX_TOKENS");
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_BATCH_GROUP_BY_LENGTH", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_BATCH_GROUP_BY_LENGTH");
    }

    @Test
    void lanesAreBothByDefaultAndAWorkerCanBeReservedForOne() {
        assertThat(WorkerConfig.fromEnv(env()).topics())
                .containsExactly(
                        dev.ttscluster.common.contract.Topics.SEGMENTS_INTERACTIVE,
                        dev.ttscluster.common.contract.Topics.SEGMENTS_BULK);
        assertThat(WorkerConfig.fromEnv(env("TTS_WORKER_LANES", " interactive "))
                        .topics())
                .containsExactly(dev.ttscluster.common.contract.Topics.SEGMENTS_INTERACTIVE);
        assertThat(WorkerConfig.fromEnv(env()).bulkBatch().maxPaddedTokens()).isEqualTo(128);
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_LANES", "interactive,books")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_LANES")
                .hasMessageContaining("books");
    }

    @Test
    void deviceIsAutoByDefaultAndReadInAnyCase() {
        assertThat(WorkerConfig.fromEnv(env()).device()).isEqualTo(DeviceChoice.AUTO);
        assertThat(WorkerConfig.fromEnv(env("TTS_WORKER_DEVICE", "cpu")).device())
                .isEqualTo(DeviceChoice.CPU);
        assertThat(WorkerConfig.fromEnv(env("TTS_WORKER_DEVICE", " GPU ")).device())
                .isEqualTo(DeviceChoice.GPU);
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env("TTS_WORKER_DEVICE", "cuda")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_WORKER_DEVICE='cuda' is invalid")
                .hasMessageContaining("auto, cpu or gpu");
    }

    @Test
    void autoTakesAVisibleGpuCpuNeverDoesAndGpuWithoutOneFailsSayingWhatToDo() {
        assertThat(DeviceChoice.AUTO.resolve(0)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.AUTO.resolve(2)).isEqualTo(Device.gpu(0));
        assertThat(DeviceChoice.CPU.resolve(1)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.GPU.resolve(1)).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> DeviceChoice.GPU.resolve(0))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("TTS_WORKER_DEVICE=gpu but the PyTorch engine sees no GPU")
                .hasMessageContaining("-Pgpu");
    }
}
