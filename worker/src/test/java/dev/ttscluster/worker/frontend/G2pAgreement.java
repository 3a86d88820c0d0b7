package dev.ttscluster.worker.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How many of festival's phones (us_slt_arctic_hts, from the teacher data's lab files) the Java frontend
 * reproduces: edit-distance alignment per sentence, stress stripped, pau excluded. Not part of the normal
 * test run (the class name is outside surefire's patterns, and it needs {@code tts.g2p.agreement=true});
 * after {@code models/slt/tools/make-teacher-data}, run
 * {@code mvn -o -q -B -pl common test -Dtest=G2pAgreement -Dtts.g2p.agreement=true} and read
 * {@code common/target/g2p-agreement.txt}. Options: {@code -Dtts.g2p.set=train} scores train.tsv instead of
 * heldout.tsv; {@code -Dtts.g2p.show=N} lists the N most frequent substitutions/insertions/deletions;
 * {@code -Dtts.g2p.min=99.0} fails below that percentage; {@code -Dtts.g2p.data=DIR} points elsewhere.
 */
@EnabledIfSystemProperty(named = "tts.g2p.agreement", matches = "true")
class G2pAgreement {

    @Test
    void agreementWithFestival() throws IOException {
        Path data = dataDir();
        String set = System.getProperty("tts.g2p.set", "heldout");
        CmuPhonemizer cmu = new CmuPhonemizer(CmuPhonemizerTest.PHONES);
        long ref = 0;
        long edits = 0;
        int sentences = 0;
        Map<String, Integer> confusions = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve(set + ".tsv"))) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            Path lab = data.resolve("lab").resolve(line.substring(0, tab) + ".lab");
            if (!Files.exists(lab)) {
                continue;
            }
            List<String> festival = new ArrayList<>();
            for (String l : Files.readAllLines(lab)) {
                String p = l.split("\\s+")[0].replaceAll("\\d", "");
                if (!p.isEmpty() && !p.equals("pau")) {
                    festival.add(p);
                }
            }
            List<String> java = cmu.phones(line.substring(tab + 1)).stream()
                    .filter(p -> !p.equals("pau"))
                    .collect(Collectors.toList());
            ref += festival.size();
            edits += align(festival, java, confusions);
            sentences++;
        }
        assertThat(ref).as("festival phones found under " + data).isPositive();
        double agreement = 100.0 * (ref - edits) / ref;
        StringBuilder report = new StringBuilder(String.format(
                Locale.ROOT,
                "G2P agreement with festival (%s, %d sentences): %.2f%% of %d phones (%d edits)%n",
                set,
                sentences,
                agreement,
                ref,
                edits));
        int show = Integer.getInteger("tts.g2p.show", 0);
        confusions.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(show)
                .forEach(e -> report.append(String.format(Locale.ROOT, "  %5d  %s%n", e.getValue(), e.getKey())));
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "g2p-agreement.txt"), report);
        assertThat(agreement).isGreaterThanOrEqualTo(Double.parseDouble(System.getProperty("tts.g2p.min", "0")));
    }

    private static Path dataDir() {
        String given = System.getProperty("tts.g2p.data");
        if (given != null) {
            return Path.of(given);
        }
        String root = System.getProperty("tts.repo.root");
        if (root != null && Files.isDirectory(Path.of(root, "models/slt/data/lab"))) {
            return Path.of(root, "models/slt/data");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("models/slt/data");
            if (Files.isDirectory(d.resolve("lab"))) {
                return d;
            }
        }
        throw new IllegalStateException("no models/slt/data/lab found; set -Dtts.g2p.data");
    }

    /** Levenshtein distance of festival's phones {@code a} and ours {@code b}, counting each edit kind. */
    static int align(List<String> a, List<String> b, Map<String, Integer> confusions) {
        int[][] d = new int[a.size() + 1][b.size() + 1];
        for (int i = 0; i <= a.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                d[i][j] = Math.min(
                        Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1));
            }
        }
        int i = a.size();
        int j = b.size();
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1)) {
                if (!a.get(i - 1).equals(b.get(j - 1))) {
                    confusions.merge("festival " + a.get(i - 1) + " -> ours " + b.get(j - 1), 1, Integer::sum);
                }
                i--;
                j--;
            } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
                confusions.merge("festival " + a.get(i - 1) + " -> ours (none)", 1, Integer::sum);
                i--;
            } else {
                confusions.merge("festival (none) -> ours " + b.get(j - 1), 1, Integer::sum);
                j--;
            }
        }
        return d[a.size()][b.size()];
    }
}
