package dev.ttscluster.worker.inference;

import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.frontend.CmuPhonemizer;
import dev.ttscluster.worker.frontend.GraphemePhonemizer;
import dev.ttscluster.worker.frontend.Phonemizer;

/** The text frontend a bundle's manifest asks for. */
public final class Frontends {
    private Frontends() {}

    /**
     * The frontend, ready to use (the CMU lexicon is loaded now, at worker start, not on the first
     * segment).
     *
     * @throws FatalException when the manifest names a frontend this code does not have
     */
    public static Phonemizer forManifest(ModelManifest manifest) {
        return switch (manifest.frontend()) {
            case "graphemes" -> new GraphemePhonemizer(manifest.phoneSet());
            case "cmu-arpabet" -> {
                CmuPhonemizer.preload();
                yield new CmuPhonemizer(manifest.phoneSet());
            }
            default ->
                throw new FatalException(
                        "unsupported frontend '" + manifest.frontend() + "' in model bundle " + manifest.name());
        };
    }
}
