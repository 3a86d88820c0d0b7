package dev.ttscluster.worker.inference;

import ai.djl.Device;
import dev.ttscluster.common.error.FatalException;
import java.util.Locale;

/**
 * Where the model runs, as configured ({@code TTS_WORKER_DEVICE}): {@link #AUTO} takes a GPU when DJL's
 * PyTorch engine sees one (it needs the CUDA build of the native library: Maven profile {@code gpu}) and the CPU
 * otherwise; {@link #GPU} insists on one; {@link #CPU} never uses one. Immutable.
 */
public enum DeviceChoice {
    /** The first GPU when the engine sees one, else the CPU. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** The first GPU; the worker does not start without one. */
    GPU;

    /** The configuration key that chooses it (named in errors). */
    public static final String KEY = "TTS_WORKER_DEVICE";

    /**
     * Parses {@code auto}, {@code cpu} or {@code gpu} (any case).
     *
     * @throws IllegalArgumentException naming the expected values otherwise
     */
    public static DeviceChoice parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            default -> throw new IllegalArgumentException("expected auto, cpu or gpu");
        };
    }

    /** The configuration value. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The device to load the model on, given how many GPUs the engine sees.
     *
     * @param gpusVisible GPUs DJL's engine reports (0 with the CPU build of the native library)
     * @throws FatalException for {@link #GPU} when none is visible
     */
    public Device resolve(int gpusVisible) {
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpusVisible > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpusVisible <= 0) {
                    throw new FatalException(KEY + "=gpu but the PyTorch engine sees no GPU: build the worker with the "
                            + "CUDA native library (mvn -Pgpu), check the NVIDIA driver and CUDA_VISIBLE_DEVICES, or set "
                            + KEY + "=auto or cpu");
                }
                yield Device.gpu(0);
            }
        };
    }
}
