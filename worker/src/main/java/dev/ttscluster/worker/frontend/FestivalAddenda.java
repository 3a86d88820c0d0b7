package dev.ttscluster.worker.frontend;

import java.util.Map;

/**
 * Festival's own entries that FreeTTS's copy of the dictionary lacks or has differently: festival's
 * cmulex addenda (which the slt voice uses), a few contractions in the same style, and the words where
 * festival's newer copy of cmudict 0.4 differs.
 */
final class FestivalAddenda {
    private static final Map<String, String> ENTRIES = Map.ofEntries(
            Map.entry("i'll", "ay l"), Map.entry("it's", "ih t s"), Map.entry("don't", "d ow n t"),
            Map.entry("didn't", "d ih d n t"), Map.entry("isn't", "ih z n t"), Map.entry("doesn't", "d ah z n t"),
            Map.entry("that's", "dh ae t s"), Map.entry("won't", "w ow n t"), Map.entry("aren't", "ae r n t"),
            Map.entry("there's", "dh er z"), Map.entry("we're", "w iy r"), Map.entry("wouldn't", "w uh d n t"),
            Map.entry("wasn't", "w aa z n t"), Map.entry("they're", "dh er"), Map.entry("weren't", "w er n t"),
            Map.entry("i'm", "ay m"), Map.entry("he's", "hh iy z"), Map.entry("you're", "y uw r"),
            Map.entry("haven't", "hh ae v n t"), Map.entry("we've", "w iy v"), Map.entry("i've", "ay v"),
            Map.entry("hadn't", "hh ae d n t"), Map.entry("they've", "dh ey v"), Map.entry("shouldn't", "sh uh d n t"),
            Map.entry("i'd", "ay d"), Map.entry("they'll", "dh ey l"), Map.entry("you've", "y uw v"),
            Map.entry("you'll", "y uw l"), Map.entry("we'd", "w iy d"), Map.entry("he'd", "hh iy d"),
            Map.entry("he'll", "hh iy l"), Map.entry("they'd", "dh ey d"), Map.entry("you'd", "y uw d"),
            Map.entry("it'll", "ih t ah l"), Map.entry("who've", "hh uw v"), Map.entry("ain't", "ey n t"),
            Map.entry("needn't", "n iy d n t"), Map.entry("she'd", "sh iy d"), Map.entry("who'd", "hh uw d"),
            Map.entry("she'll", "sh iy l"), Map.entry("there'll", "dh er l"), Map.entry("there'd", "dh er d"),
            Map.entry("it'd", "ih t ah d"), Map.entry("who'll", "hh uw l"), Map.entry("that'll", "dh ae t l"),
            Map.entry("mightn't", "m ay t n t"), Map.entry("would've", "w uh d ah v"), Map.entry("mustn't", "m ah s n t"),
            Map.entry("how'd", "hh aw d"), Map.entry("could've", "k uh d ah v"), Map.entry("hasn't", "hh ae z n t"),
            Map.entry("couldn't", "k uh d n t"), Map.entry("can't", "k ae n t"), Map.entry("we'll", "w iy l"),
            Map.entry("should've", "sh uh d ah v"), Map.entry("might've", "m ay t ah v"),
            Map.entry("must've", "m ah s t ah v"), Map.entry("shan't", "sh ae n t"), Map.entry("that'd", "dh ae t ah d"),
            Map.entry("what'll", "w ah t ah l"), Map.entry("y'all", "y ao l"), Map.entry("ma'am", "m ae m"),
            Map.entry("o'clock", "ax k l aa k"),
            Map.entry("uk", "y uw k ey"), Map.entry("w", "d ah b ah l y uw"), Map.entry("bought", "b ao t"),
            Map.entry("edinburgh", "eh d ah n b ax r ow"), Map.entry("emacs", "iy m ae k s"),
            Map.entry("hz", "hh eh r t z"), Map.entry("khz", "k ih l ax hh eh r t z"),
            Map.entry("mhz", "m eh g ax hh eh r t z"), Map.entry("lived", "l ih v d"),
            Map.entry("ltd", "l ih m ah t ah d"), Map.entry("mrs", "m ih s ah s"), Map.entry("nasa", "n ae s ae"),
            Map.entry("pasadena", "p ae s ae d iy n ax"), Map.entry("reuters", "r oy t er z"),
            Map.entry("february", "f eh b r ax er iy"), Map.entry("before", "b iy f ao r"), Map.entry("t", "t iy"),
            // festival's dictionary (cmulex 2.0, 2008) differs from FreeTTS's 2004 copy in these words
            Map.entry("campsite", "k ae m p s ay t"), Map.entry("cataract", "k ae t er ae k t"),
            Map.entry("centrifugal", "s eh n t r ih f ih g ax l"), Map.entry("chairmen", "ch eh r m ax n"),
            Map.entry("christophe", "k r ih s t ao f"), Map.entry("colour", "k ah l er"),
            Map.entry("colourfully", "k ah l er f ax l iy"), Map.entry("cookstove", "k uh k s t ow v"),
            Map.entry("corexit", "k ao r eh k s ih t"), Map.entry("dataset", "d ey t ah s eh t"),
            Map.entry("datasets", "d ey t ah s eh t s"), Map.entry("depopulation", "d ih p aa p y ax l ey sh ax n"),
            Map.entry("drawknife", "d r ao n ay f"), Map.entry("forint", "f ao r ih n t"),
            Map.entry("gaijin", "g ay jh ih n"), Map.entry("goodbyes", "g uh d b ay z"),
            Map.entry("hermione", "hh er m ay ax n iy"), Map.entry("honouring", "aa n er ax ng"),
            Map.entry("immaculate", "ih m ae k y uw l ih t"), Map.entry("iphone", "ay f ow n"),
            Map.entry("ipod", "ay p aa d"), Map.entry("katie", "k ey t iy"), Map.entry("kiester", "k ay ih s t er"),
            Map.entry("kilohertz", "k ih l ax hh er t s"), Map.entry("labour", "l ey b er"),
            Map.entry("linux", "l ih n ah k s"), Map.entry("miso", "m iy s ow"),
            Map.entry("oligarch", "ow l ih g aa r k"), Map.entry("paperboy", "p ey p er b oy"),
            Map.entry("paperboys", "p ey p er b oy z"), Map.entry("peeped", "p iy p t"),
            Map.entry("pollinate", "p aa l ax n ey t"), Map.entry("revaluations", "r iy v ae l y uw ey sh ax n z"),
            Map.entry("schlep", "sh l eh p"), Map.entry("smelt", "s m eh l t"),
            Map.entry("spearmint", "s p iy r m ih n t"), Map.entry("surfed", "s er f t"),
            Map.entry("tarpaulin", "t aa r p ao l ih n"), Map.entry("thursday", "th er z d iy"),
            Map.entry("thursdays", "th er z d iy z"), Map.entry("tidied", "t ay d ax d"),
            Map.entry("tidies", "t ay d ax z"), Map.entry("tidying", "t ay d iy ih ng"),
            Map.entry("trestles", "t r eh s ax l z"), Map.entry("unpacked", "ax n p ae k t"),
            Map.entry("untie", "ax n t ay"), Map.entry("waistcoat", "w ey s t k ow t"),
            Map.entry("watertight", "w ao t er t ay t"), Map.entry("waveform", "w ey v f ao r m"),
            Map.entry("waveforms", "w ey v f ao r m z"), Map.entry("wifi", "w ay f ay"),
            Map.entry("wikipedia", "w ih k ih p iy d iy ax"), Map.entry("woodstove", "w uh d s t ow v"),
            Map.entry("youtube", "y uw t uw b"));

    private FestivalAddenda() {
    }

    /** The word's phones, space-separated, when festival has its own entry for it; else null. */
    static String get(String word) {
        return ENTRIES.get(word);
    }
}
