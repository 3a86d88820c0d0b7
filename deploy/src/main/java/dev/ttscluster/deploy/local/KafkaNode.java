package dev.ttscluster.deploy.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka KRaft broker (combined broker + controller) running in this JVM on
 * loopback. Its log directory survives {@link #stop()}, so a restart keeps every record and offset.
 */
public final class KafkaNode implements AutoCloseable {
    private final Path dir;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private KafkaRaftServer server;

    /**
     * @param dir log directory (created and formatted on first start)
     * @param port broker port
     * @param controllerPort controller port
     */
    public KafkaNode(Path dir, int port, int controllerPort) {
        this(dir, "127.0.0.1", port, controllerPort);
    }

    /**
     * A broker whose listeners bind {@code host} and which advertises {@code host} to clients (another
     * machine's address, or a network namespace's).
     *
     * @param dir log directory (created and formatted on first start)
     * @param host address both listeners bind and the broker advertises
     * @param port broker port
     * @param controllerPort controller port
     */
    public KafkaNode(Path dir, String host, int port, int controllerPort) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = "tts-local-"
                + Integer.toHexString(dir.toAbsolutePath().toString().hashCode());
    }

    /**
     * Formats the log directory if needed and starts the broker.
     *
     * @throws IllegalStateException when the broker cannot start
     */
    public synchronized KafkaNode start() {
        try {
            Files.createDirectories(dir);
            Properties p = properties();
            if (!Files.exists(dir.resolve("meta.properties"))) {
                new Formatter()
                        .setClusterId(padClusterId())
                        .setNodeId(1)
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(dir.toString())
                        .setDirectories(Set.of(dir.toString()))
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setIgnoreFormatted(true)
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .run();
            }
            server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
            server.startup();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker failed to start in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Kafka cluster ids are 22-character base64 UUIDs; derive a stable one from the directory. */
    private String padClusterId() {
        long h = clusterId.hashCode();
        return new org.apache.kafka.common.Uuid(h | 1L, ~h | 1L).toString();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.min.session.timeout.ms", "6000");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", "1");
        return p;
    }

    /** {@code host:port} ({@code 127.0.0.1:port} unless made for another address). */
    public String bootstrap() {
        return host + ":" + port;
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops the broker (a controlled shutdown), keeping its data: a later {@link #start()} in this JVM
     * serves the same log directory on the same ports, with every record and committed offset.
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
