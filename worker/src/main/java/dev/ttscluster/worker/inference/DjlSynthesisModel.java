package dev.ttscluster.worker.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.ttscluster.common.error.FatalException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a TorchScript bundle through DJL's PyTorch engine, offline. Rows are padded to the longest
 * and passed with their lengths: ids [B,T] int64, lengths [B] int64, speaker [B] int64, speed [B]
 * float32 -> wave [B,N] float32, wave lengths [B] int64, durations [B,T] int64. Rows longer than the
 * bundle's {@code max_phones} are synthesized in chunks (split at spaces where possible) and joined.
 * Not thread-safe.
 */
public final class DjlSynthesisModel implements SynthesisModel {
    private static final int EMPTY_SILENCE_FRAMES = 8;

    private final ModelManifest manifest;
    private final Model model;
    private final long spaceId;

    private DjlSynthesisModel(ModelManifest manifest, Model model) {
        this.manifest = manifest;
        this.model = model;
        this.spaceId = manifest.phoneSet().indexOf(" ");
    }

    /**
     * Loads the bundle in {@code dir} on the CPU with {@code threads} intra-op threads.
     *
     * @throws FatalException when the manifest, hash or TorchScript file is bad
     */
    public static DjlSynthesisModel load(Path dir, int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        ModelManifest manifest = ModelManifest.load(dir);
        Model model = Model.newInstance(manifest.name(), Device.cpu(), "PyTorch");
        String file = manifest.file();
        try {
            model.load(dir, file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new FatalException("cannot load TorchScript bundle " + dir + ": " + e.getMessage(), e);
        }
        return new DjlSynthesisModel(manifest, model);
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
                pieces.add(new SynthesisInput(c, rows.get(r).speaker(), rows.get(r).speed()));
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
            NDList in = new NDList(m.create(ids, new Shape(b, t)), m.create(lengths), m.create(speakers), m.create(speeds));
            NDList res = model.getBlock().forward(new ParameterStore(m, false), in, false);
            NDArray wave = res.get(0);
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
