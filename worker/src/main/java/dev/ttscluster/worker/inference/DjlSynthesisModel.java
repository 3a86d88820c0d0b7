package dev.ttscluster.worker.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.ttscluster.common.error.FatalException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a TorchScript bundle through DJL's PyTorch engine, offline. Rows are padded to the longest
 * and passed with their lengths: ids [B,T] int64, lengths [B] int64, speaker [B] int64, speed [B]
 * float32 -> wave [B,N] float32, wave lengths [B] int64, durations [B,T] int64. Rows longer than the
 * bundle's {@code max_phones} are synthesized in chunks (split at spaces where possible) and joined.
 *
 * <p>On the CPU (the default) it runs the bundle's {@code file} in FP32. On a GPU ({@link DeviceChoice}) it runs
 * the bundle's FP16 export when the manifest names one ({@code fp16_file}: the same model in half precision, float
 * inputs as float16) and it passes a probe call, else the FP32 file; which one is logged. DJL offers no way to
 * cast a loaded TorchScript module's weights, so half precision is the bundle's to provide. Outputs are float32
 * whatever the module returns. Not thread-safe.
 */
public final class DjlSynthesisModel implements SynthesisModel {
    private static final Logger log = LoggerFactory.getLogger(DjlSynthesisModel.class);
    private static final int EMPTY_SILENCE_FRAMES = 8;

    private final ModelManifest manifest;
    private final Model model;
    private final long spaceId;
    private final boolean half;

    private DjlSynthesisModel(ModelManifest manifest, Model model, boolean half) {
        this.manifest = manifest;
        this.model = model;
        this.spaceId = manifest.phoneSet().indexOf(" ");
        this.half = half;
    }

    /**
     * Loads the bundle in {@code dir} on the CPU with {@code threads} intra-op threads.
     *
     * @throws FatalException when the manifest, hash or TorchScript file is bad
     */
    public static DjlSynthesisModel load(Path dir, int threads) {
        return load(dir, threads, DeviceChoice.CPU);
    }

    /**
     * Loads the bundle in {@code dir} on the device {@code choice} picks ({@code threads} intra-op threads on
     * the CPU); on a GPU in half precision when the bundle has an FP16 export that runs.
     *
     * @throws FatalException when the manifest, hash or TorchScript file is bad, or {@link DeviceChoice#GPU}
     *     finds no GPU
     */
    public static DjlSynthesisModel load(Path dir, int threads, DeviceChoice choice) {
        return load(dir, threads, choice, "");
    }

    /**
     * As {@link #load(Path, int, DeviceChoice)}, running the bundle's export {@code variant} (blank: its default
     * file; a variant is never swapped for the FP16 export).
     *
     * @throws FatalException as there, and when the bundle has no such variant
     */
    public static DjlSynthesisModel load(Path dir, int threads, DeviceChoice choice, String variant) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        ModelManifest manifest = ModelManifest.load(dir, variant);
        Device device = choice == DeviceChoice.CPU ? Device.cpu() : choice.resolve(gpusVisible());
        if (device.isGpu()) {
            if (manifest.fp16File() == null) {
                log.info(
                        "model {} runs in FP32 on {}: the bundle has no FP16 export (manifest fp16_file)",
                        manifest.name(),
                        device);
            } else {
                try {
                    DjlSynthesisModel m = open(dir, manifest, manifest.fp16File(), device, true);
                    try {
                        m.probe();
                    } catch (RuntimeException e) {
                        m.close();
                        throw e;
                    }
                    log.info("model {} runs in FP16 on {} ({})", manifest.name(), device, manifest.fp16File());
                    return m;
                } catch (RuntimeException e) {
                    log.warn(
                            "model {} cannot run in FP16 on {} ({}); running it in FP32",
                            manifest.name(),
                            device,
                            e.getMessage());
                }
            }
        }
        return open(dir, manifest, manifest.file(), device, false);
    }

    /** GPUs DJL's PyTorch engine can use: 0 with the CPU build of its native library. */
    private static int gpusVisible() {
        try {
            return Engine.getEngine("PyTorch").getGpuCount();
        } catch (RuntimeException e) {
            throw new FatalException("cannot start the PyTorch engine: " + e.getMessage(), e);
        }
    }

    private static DjlSynthesisModel open(Path dir, ModelManifest manifest, String file, Device device, boolean half) {
        Model model = Model.newInstance(manifest.name(), device, "PyTorch");
        try {
            model.load(dir, file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new FatalException("cannot load TorchScript bundle " + dir + ": " + e.getMessage(), e);
        }
        return new DjlSynthesisModel(manifest, model, half);
    }

    /** One short row through the model: it must run and give finite samples. */
    private void probe() {
        long[] ids = new long[Math.min(8, manifest.maxPhones())];
        java.util.Arrays.fill(ids, Math.min(2, manifest.phoneSet().size() - 1));
        for (float f : runBatch(List.of(new SynthesisInput(ids, 0, 1f))).get(0).samples()) {
            if (!Float.isFinite(f)) {
                throw new FatalException("the FP16 export gives non-finite samples");
            }
        }
    }

    /** Where the model runs, e.g. {@code cpu()} or {@code gpu(0)}. */
    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    /** True when the FP16 export runs (on a GPU). */
    @Override
    public boolean halfPrecision() {
        return half;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public List<SynthesisOutput> synthesize(List<SynthesisInput> rows) {
        // Split rows into model-sized pieces, run all pieces as one batch, then stitch rows back.
        List<SynthesisInput> pieces = new ArrayList<>();
        int[] piecesPerRow = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            List<long[]> chunks = chunk(rows.get(r).phones());
            piecesPerRow[r] = chunks.size();
            for (long[] c : chunks) {
                pieces.add(
                        new SynthesisInput(c, rows.get(r).speaker(), rows.get(r).speed()));
            }
        }
        List<SynthesisOutput> pieceOut = runBatch(pieces);
        List<SynthesisOutput> out = new ArrayList<>(rows.size());
        int p = 0;
        for (int r = 0; r < rows.size(); r++) {
            out.add(concat(pieceOut.subList(p, p + piecesPerRow[r])));
            p += piecesPerRow[r];
        }
        return out;
    }

    private List<SynthesisOutput> runBatch(List<SynthesisInput> rows) {
        int b = rows.size();
        int t = 1;
        for (SynthesisInput r : rows) {
            t = Math.max(t, r.phones().length);
        }
        long[] ids = new long[b * t];
        long[] lengths = new long[b];
        long[] speakers = new long[b];
        float[] speeds = new float[b];
        for (int i = 0; i < b; i++) {
            long[] ph = rows.get(i).phones();
            System.arraycopy(ph, 0, ids, i * t, ph.length);
            lengths[i] = ph.length;
            speakers[i] = rows.get(i).speaker();
            speeds[i] = rows.get(i).speed();
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray speed = m.create(speeds);
            NDList in = new NDList(
                    m.create(ids, new Shape(b, t)),
                    m.create(lengths),
                    m.create(speakers),
                    half ? speed.toType(DataType.FLOAT16, false) : speed);
            NDList res = model.getBlock().forward(new ParameterStore(m, false), in, false);
            NDArray wave = res.get(0).getDataType() == DataType.FLOAT32
                    ? res.get(0)
                    : res.get(0).toType(DataType.FLOAT32, false);
            long n = wave.getShape().get(1);
            float[] w = wave.toFloatArray();
            long[] wl = res.get(1).toLongArray();
            long[] d = res.get(2).toLongArray();
            List<SynthesisOutput> out = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                int len = (int) Math.min(wl[i], n);
                float[] samples = new float[len];
                System.arraycopy(w, (int) (i * n), samples, 0, len);
                long[] dur = new long[(int) lengths[i]];
                System.arraycopy(d, i * t, dur, 0, dur.length);
                if (lengths[i] == 0) {
                    samples = new float[EMPTY_SILENCE_FRAMES * manifest.hopLength()];
                }
                out.add(new SynthesisOutput(samples, dur));
            }
            return out;
        } catch (ai.djl.engine.EngineException e) {
            throw new FatalException("model rejected the batch: " + e.getMessage(), e);
        }
    }

    /** Splits ids into pieces of at most max_phones, preferring to cut after a space. */
    private List<long[]> chunk(long[] ids) {
        int max = manifest.maxPhones();
        List<long[]> out = new ArrayList<>();
        int start = 0;
        while (ids.length - start > max) {
            int cut = start + max;
            for (int i = start + max - 1; i > start + max / 2; i--) {
                if (ids[i] == spaceId) {
                    cut = i + 1;
                    break;
                }
            }
            out.add(java.util.Arrays.copyOfRange(ids, start, cut));
            start = cut;
        }
        out.add(java.util.Arrays.copyOfRange(ids, start, ids.length));
        return out;
    }

    private static SynthesisOutput concat(List<SynthesisOutput> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int ns = 0;
        int nd = 0;
        for (SynthesisOutput o : parts) {
            ns += o.samples().length;
            nd += o.durations().length;
        }
        float[] s = new float[ns];
        long[] d = new long[nd];
        int ps = 0;
        int pd = 0;
        for (SynthesisOutput o : parts) {
            System.arraycopy(o.samples(), 0, s, ps, o.samples().length);
            System.arraycopy(o.durations(), 0, d, pd, o.durations().length);
            ps += o.samples().length;
            pd += o.durations().length;
        }
        return new SynthesisOutput(s, d);
    }

    @Override
    public void close() {
        model.close();
    }
}
