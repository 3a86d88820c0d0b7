package dev.ttscluster.deploy.netns;

import dev.ttscluster.deploy.local.KafkaNode;
import dev.ttscluster.deploy.local.S3Node;
import java.nio.file.Path;

/**
 * Runs one backing server in its own JVM, bound to one address, until SIGTERM:
 * {@code kafka HOST PORT CONTROLLER_PORT DIR} (a KRaft broker and controller listening on and
 * advertising HOST) or {@code s3 HOST PORT DIR} (s3proxy; credentials from {@code TTS_S3_ACCESS_KEY}
 * and {@code TTS_S3_SECRET_KEY}). Prints {@code server <kind>: ready <address>} once it serves.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 4) {
            usage();
        }
        String kind = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        AutoCloseable server;
        String address;
        switch (kind) {
            case "kafka" -> {
                if (args.length != 5) {
                    usage();
                }
                KafkaNode k = new KafkaNode(Path.of(args[4]), host, port, Integer.parseInt(args[3])).start();
                server = k;
                address = k.bootstrap();
            }
            case "s3" -> {
                S3Node s = new S3Node(
                                Path.of(args[3]),
                                host,
                                port,
                                System.getenv("TTS_S3_ACCESS_KEY"),
                                System.getenv("TTS_S3_SECRET_KEY"))
                        .start();
                server = s;
                address = s.endpoint();
            }
            default -> {
                usage();
                return;
            }
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } catch (Exception e) {
                                System.err.println("server " + kind + ": stopping failed: " + e);
                            }
                        },
                        "server-stop"));
        System.out.println("server " + kind + ": ready " + address);
        new java.util.concurrent.CountDownLatch(1).await(); // serves until the JVM is told to exit
    }

    private static void usage() {
        System.err.println("usage: ServerMain kafka HOST PORT CONTROLLER_PORT DIR | s3 HOST PORT DIR");
        System.exit(2);
    }
}
