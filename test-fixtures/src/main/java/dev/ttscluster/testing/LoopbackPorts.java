package dev.ttscluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback address, for servers a test starts itself. A port is free when
 * chosen; another process may take it before the test binds it, so bind soon after. Thread-safe.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /**
     * A port no socket on loopback listens on now.
     *
     * @throws UncheckedIOException when no port can be bound
     */
    public static int free() {
        return free(1)[0];
    }

    /**
     * {@code n} distinct free ports (all held open until every one is chosen).
     *
     * @throws UncheckedIOException when no port can be bound
     */
    public static int[] free(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
        }
    }
}
