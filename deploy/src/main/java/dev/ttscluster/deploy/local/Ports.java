package dev.ttscluster.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Free loopback ports. The kernel may hand the same ephemeral port to two consecutive probes (a
 * broker's two listeners, say), so the ports this JVM handed out recently are never handed out again.
 * Thread-safe.
 */
public final class Ports {
    private static final int REMEMBERED = 256;
    private static final Deque<Integer> recent = new ArrayDeque<>();

    private Ports() {}

    /** A port that was free on 127.0.0.1 a moment ago and that this JVM did not hand out recently. */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (recent) {
                if (!recent.contains(port)) {
                    recent.addLast(port);
                    if (recent.size() > REMEMBERED) {
                        recent.removeFirst();
                    }
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free loopback port that was not handed out recently");
    }
}
