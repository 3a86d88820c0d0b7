package dev.ttscluster.deploy.netns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several "hosts" on this machine: one Linux network namespace per host (its own loopback, its own
 * {@code eth0} with an address of its own, no default route), all joined by a bridge, and a link from
 * the root namespace so the launching process reaches every host at its address. Made with Debian's
 * iproute2 ({@code ip netns}, veth, bridge); needs root.
 *
 * <p>The bridge lives in a namespace of its own ({@code <prefix>-net}), not in the root one: with
 * {@code br_netfilter} loaded, bridged frames pass the root namespace's iptables FORWARD chain, which a
 * host firewall (Docker's, say) may drop; a fresh namespace has no rules.
 *
 * <p>Names carry this JVM's pid ({@code ttsmh-<pid>-<host>}, root link {@code tmh<pid>}), so runs never
 * collide, and {@link #create} first removes what runs whose JVM is gone left behind. {@link #close}
 * (also from a shutdown hook) kills what still runs in the namespaces and removes them and the links.
 */
public final class HostNetwork implements AutoCloseable {
    /** Every namespace this class makes starts with it. */
    public static final String PREFIX = "ttsmh-";
    /** The root namespace's end of the link to the bridge starts with it. */
    public static final String LINK_PREFIX = "tmh";

    private final long pid;
    private final String subnet;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private HostNetwork(long pid, String subnet) {
        this.pid = pid;
        this.subnet = subnet;
        this.hook = new Thread(this::removeQuietly, "host-network-cleanup");
    }

    /** Thrown when this machine cannot make network namespaces (not root, no iproute2, no kernel support). */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Makes the namespaces of {@code hosts}, in order addresses {@code <subnet>.11}, {@code .12}, ... on a
     * {@code /24} the root namespace does not route yet; the root namespace is {@code <subnet>.1}.
     *
     * @throws UnavailableException when this machine cannot make the namespaces or link them (veth, bridge);
     *     nothing is left behind
     */
    public static HostNetwork create(List<String> hosts) throws UnavailableException {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            throw new UnavailableException("network namespaces need Linux; this is " + System.getProperty("os.name"));
        }
        Shell.Result version = Shell.run(List.of("ip", "-V"));
        if (version.code() != 0) {
            throw new UnavailableException("iproute2's `ip` is not available (Debian: apt-get install iproute2): "
                    + version.out().trim());
        }
        removeStale();
        long pid = ProcessHandle.current().pid();
        HostNetwork n = new HostNetwork(pid, freeSubnet());
        String net = n.namespaceName("net");
        Shell.Result add = Shell.run(List.of("ip", "netns", "add", net));
        if (add.code() != 0) {
            throw new UnavailableException("`ip netns add` failed (needs root and a kernel with network namespaces): "
                    + add.out().trim());
        }
        n.created.add(net);
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            n.build(hosts);
        } catch (RuntimeException e) {
            n.close();
            // the kernel makes namespaces but not veth pairs or bridges (modules missing, a restricted sandbox)
            throw new UnavailableException("network namespaces can be made, but not linked: " + e.getMessage());
        }
        return n;
    }

    private void build(List<String> hosts) {
        String net = namespaceName("net");
        Shell.ip("netns", "exec", net, "ip", "link", "set", "lo", "up");
        Shell.ip("netns", "exec", net, "ip", "link", "add", "br0", "type", "bridge");
        Shell.ip("netns", "exec", net, "ip", "link", "set", "br0", "up");
        // the root namespace's link: tmh<pid> here, up0 on the bridge
        String rootLink = rootLinkName();
        Shell.ip("link", "add", rootLink, "type", "veth", "peer", "name", "up0", "netns", net);
        Shell.ip("netns", "exec", net, "ip", "link", "set", "up0", "master", "br0", "up");
        Shell.ip("addr", "add", subnet + ".1/24", "dev", rootLink);
        Shell.ip("link", "set", rootLink, "up");
        int i = 0;
        for (String host : hosts) {
            String ns = namespaceName(host);
            String address = subnet + "." + (11 + i);
            Shell.ip("netns", "add", ns);
            created.add(ns);
            Shell.ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
            // eth0 in the host's namespace, its peer p<i> on the bridge
            Shell.ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p" + i, "netns", net);
            Shell.ip("netns", "exec", net, "ip", "link", "set", "p" + i, "master", "br0", "up");
            Shell.ip("netns", "exec", ns, "ip", "addr", "add", address + "/24", "dev", "eth0");
            Shell.ip("netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            addresses.put(host, address);
            i++;
        }
    }

    /** A {@code 10.77.X} the root namespace has no address or route in. */
    private static String freeSubnet() {
        String routes = Shell.ip("-4", "route", "show", "table", "all") + Shell.ip("-4", "addr");
        for (int x = 0; x < 255; x++) {
            if (!routes.contains("10.77." + x + ".")) {
                return "10.77." + x;
            }
        }
        throw new IllegalStateException("every 10.77.X.0/24 is in use on this machine");
    }

    /**
     * Removes namespaces and root links that runs whose JVM no longer runs left behind (a crash, kill -9),
     * killing what still runs in them first.
     *
     * @return how many namespaces and links it removed
     */
    public static int removeStale() {
        return StaleNamespaces.removeStale();
    }

    /** The namespaces and root links of the run of JVM {@code pid} that exist now. */
    public static List<String> leftovers(long pid) {
        return StaleNamespaces.leftovers(pid);
    }

    /** The namespace of {@code host} (or of the bridge, {@code net}). */
    public String namespaceName(String host) {
        return PREFIX + pid + "-" + host;
    }

    private String rootLinkName() {
        return LINK_PREFIX + pid;
    }

    /** The address of {@code host}. */
    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            throw new IllegalArgumentException("no host " + host + " in " + addresses.keySet());
        }
        return a;
    }

    /** The hosts in the order they were made, with their addresses. */
    public Map<String, String> addresses() {
        return Map.copyOf(addresses);
    }

    /** The root namespace's own address on the network (where this JVM's connections come from). */
    public String rootAddress() {
        return subnet + ".1";
    }

    /** {@code command} run inside {@code host}'s namespace: {@code ip netns exec <ns> command...}. */
    public List<String> inHost(String host, List<String> command) {
        address(host);
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespaceName(host)));
        c.addAll(command);
        return c;
    }

    /**
     * The local addresses ({@code address:port}) of the TCP sockets listening in {@code host}'s namespace,
     * from iproute2's {@code ss}; IPv4-mapped IPv6 addresses are written as IPv4.
     */
    public List<String> listeners(String host) {
        Shell.Result r = Shell.run(inHost(host, List.of("ss", "-H", "-l", "-t", "-n")));
        if (r.code() != 0) {
            throw new IllegalStateException("ss in " + host + " failed: " + r.out());
        }
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                out.add(f[3].replace("[::ffff:", "").replace("]", ""));
            }
        }
        return out;
    }

    /** Kills what still runs in the namespaces, removes them, the bridge and the root link. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }

    private synchronized void removeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        // hosts first, then the bridge's namespace: deleting a namespace deletes its end of every veth pair
        List<String> order = new ArrayList<>(created);
        java.util.Collections.reverse(order);
        for (String ns : order) {
            StaleNamespaces.removeNamespace(ns);
        }
        Shell.run(List.of("ip", "link", "del", rootLinkName()));
        // a namespace goes once the last process in it has exited; wait for the kernel to let it go
        long deadline = System.currentTimeMillis() + 5_000;
        while (!leftovers(pid).isEmpty() && System.currentTimeMillis() < deadline) {
            for (String ns : StaleNamespaces.namespaces()) {
                if (ns.startsWith(PREFIX + pid + "-")) {
                    StaleNamespaces.removeNamespace(ns);
                }
            }
            StaleNamespaces.sleep(100);
        }
    }
}
