package dev.ttscluster.deploy.netns;

import static dev.ttscluster.deploy.netns.Shell.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The namespaces and root links of {@link HostNetwork} runs on this machine: finding them by the pid in their
 * names, and removing those whose JVM is gone. Stateless; every method runs {@code ip} and never throws for a
 * failed {@code ip} call (what cannot be listed is not there).
 */
final class StaleNamespaces {
    private static final Pattern OURS = Pattern.compile(Pattern.quote(HostNetwork.PREFIX) + "(\\d+)-.*");
    private static final Pattern OUR_LINK = Pattern.compile(Pattern.quote(HostNetwork.LINK_PREFIX) + "(\\d+)");

    private StaleNamespaces() {}

    /**
     * Removes namespaces and root links that runs whose JVM no longer runs left behind (a crash, kill -9),
     * killing what still runs in them first.
     *
     * @return how many namespaces and links it removed
     */
    static int removeStale() {
        int removed = 0;
        for (String ns : namespaces()) {
            Matcher m = OURS.matcher(ns);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                removeNamespace(ns);
                removed++;
            }
        }
        for (String link : rootLinks()) {
            Matcher m = OUR_LINK.matcher(link);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                run(List.of("ip", "link", "del", link));
                removed++;
            }
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The namespaces and root links of the run of JVM {@code pid} that exist now. */
    static List<String> leftovers(long pid) {
        List<String> left = new ArrayList<>();
        for (String ns : namespaces()) {
            if (ns.startsWith(HostNetwork.PREFIX + pid + "-")) {
                left.add("netns " + ns);
            }
        }
        for (String link : rootLinks()) {
            if (link.equals(HostNetwork.LINK_PREFIX + pid)) {
                left.add("link " + link);
            }
        }
        return left;
    }

    /** Every network namespace name {@code ip netns list} shows. */
    static List<String> namespaces() {
        Shell.Result r = run(List.of("ip", "netns", "list"));
        List<String> names = new ArrayList<>();
        if (r.code() == 0) {
            for (String line : r.out().split("\n")) {
                String name = line.trim().split("\\s+")[0];
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The root namespace's links whose names start with {@link #HostNetwork.LINK_PREFIX}. */
    static List<String> rootLinks() {
        Shell.Result r = run(List.of("ip", "-o", "link", "show"));
        List<String> names = new ArrayList<>();
        if (r.code() == 0) {
            for (String line : r.out().split("\n")) {
                String[] f = line.split(":\\s+", 3);
                if (f.length >= 2) {
                    String name = f[1].split("@")[0].trim();
                    if (name.startsWith(HostNetwork.LINK_PREFIX)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    static void removeNamespace(String ns) {
        for (int round = 0; round < 3; round++) {
            Shell.Result pids = run(List.of("ip", "netns", "pids", ns));
            boolean any = false;
            for (String p : pids.out().split("\\s+")) {
                if (p.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            sleep(200);
        }
        run(List.of("ip", "netns", "del", ns));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
