package dev.ttscluster.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Layout" section is the map a newcomer reads first, so it must match the tree: one entry
 * {@code module/} per Maven module of the root pom, under it one line per package of that module (its main
 * code, or its tests when it has no main code), named relative to the module's root package, and nothing that
 * is not on disk.
 */
class ReadmeLayoutTest {
    static final Path ROOT =
            Path.of(System.getProperty("tts.repo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern MODULE_LINE = Pattern.compile("^([a-z][a-z0-9-]*)/\\s");
    private static final Pattern PACKAGE_LINE = Pattern.compile("^ {2}([a-z][a-z0-9.]*)\\s");

    @Test
    void layoutSectionListsEveryModuleAndPackageOnDisk() throws IOException {
        Map<String, Set<String>> documented = documented();
        Map<String, Set<String>> onDisk = new LinkedHashMap<>();
        for (String module : modules()) {
            onDisk.put(module, packages(ROOT.resolve(module)));
        }
        for (Map.Entry<String, Set<String>> e : onDisk.entrySet()) {
            assertThat(documented)
                    .as("README Layout has an entry '%s/'", e.getKey())
                    .containsKey(e.getKey());
            assertThat(documented.get(e.getKey()))
                    .as("README Layout: the packages of %s/", e.getKey())
                    .containsExactlyInAnyOrderElementsOf(e.getValue());
        }
        for (String module : documented.keySet()) {
            if (!onDisk.containsKey(module)) {
                assertThat(ROOT.resolve(module))
                        .as("README Layout names %s/, which is not a directory", module)
                        .isDirectory();
                assertThat(documented.get(module))
                        .as("%s/ is not a Maven module: it lists no Java packages", module)
                        .isEmpty();
            }
        }
    }

    /** Module name to the packages the README lists under it, from the first code block after "## Layout". */
    static Map<String, Set<String>> documented() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("\n## Layout\n");
        assertThat(section).as("README has a '## Layout' section").isPositive();
        int start = readme.indexOf("```\n", section) + 4;
        int end = readme.indexOf("\n```", start);
        Map<String, Set<String>> out = new LinkedHashMap<>();
        String current = null;
        for (String line : readme.substring(start, end).split("\n")) {
            Matcher module = MODULE_LINE.matcher(line + " ");
            Matcher pkg = PACKAGE_LINE.matcher(line + " ");
            if (module.find()) {
                current = module.group(1);
                out.put(current, new TreeSet<>());
            } else if (pkg.find() && current != null) {
                out.get(current).add(pkg.group(1));
            }
        }
        return out;
    }

    /** The root pom's modules. */
    static List<String> modules() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The packages holding Java files under the module's main sources (its test sources when it has none),
     * relative to the module's root package (the longest package name all of them start with), the root package
     * itself left out.
     */
    static Set<String> packages(Path module) throws IOException {
        Path main = module.resolve("src/main/java");
        Path sources = Files.isDirectory(main) ? main : module.resolve("src/test/java");
        Set<String> packages = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return packages;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .map(p -> sources.relativize(p.getParent()).toString().replace('/', '.'))
                    .forEach(packages::add);
        }
        String base = commonPrefix(packages);
        Set<String> relative = new TreeSet<>();
        for (String p : packages) {
            if (!p.equals(base)) {
                relative.add(p.substring(base.length() + 1));
            }
        }
        return relative;
    }

    private static String commonPrefix(Set<String> packages) {
        String[] first = packages.iterator().next().split("\\.");
        int n = first.length;
        for (String p : packages) {
            String[] parts = p.split("\\.");
            int i = 0;
            while (i < Math.min(n, parts.length) && parts[i].equals(first[i])) {
                i++;
            }
            n = i;
        }
        return String.join(".", java.util.Arrays.copyOf(first, n));
    }
}
