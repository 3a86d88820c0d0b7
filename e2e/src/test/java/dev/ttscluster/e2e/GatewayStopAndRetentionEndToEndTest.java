package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.gateway.retention.RetentionSweeper;
import dev.ttscluster.storage.AudioBucket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway told to stop (SIGTERM) finishes the request it is reading, then exits by itself and takes no
 * new connection; the retention sweeper deletes what is older than the retention and nothing else, on the
 * real S3 server.
 */
@OnSharedCluster
class GatewayStopAndRetentionEndToEndTest {
    final LocalCluster cluster;

    GatewayStopAndRetentionEndToEndTest(LocalCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aStoppingGatewayFinishesTheRequestInFlightThenExits() throws Exception {
        ChildJvm gw = cluster.startExtraGateway("gateway-stopping", Map.of());
        int port = URI.create(cluster.urlOf(gw)).getPort();
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 4500; i++) {
            text.append("Accepted while the gateway was stopping, sentence ")
                    .append(i)
                    .append(". ");
        }
        byte[] body = ("{\"text\":\"" + text + System.nanoTime() % 1000 + ".\"}").getBytes(StandardCharsets.UTF_8);
        String head =
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + SharedCluster.key()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        // warm the fresh gateway up (class loading, Redis and Kafka connections), so the request below is in its
        // handler well before the SIGTERM even on a loaded machine
        Api warm = new Api(cluster.urlOf(gw));
        for (int i = 0; i < 3; i++) {
            warm.get("/healthz");
            warm.get("/v1/jobs/00000000-0000-0000-0000-000000000000");
        }
        String reply;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            int first = body.length * 2 / 3; // ahead of the server's minimum body rate (1 KiB/s) for the pauses below
            out.write(body, 0, first);
            out.flush();
            Thread.sleep(1000); // the request is in the gateway's hands now
            ProcessHandle.of(gw.pid()).orElseThrow().destroy(); // SIGTERM
            Thread.sleep(400);
            out.write(body, first, body.length - first);
            out.flush();
            InputStream in = s.getInputStream();
            reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(reply).as("the request in flight is answered").startsWith("HTTP/1.1 202");
        long deadline = System.currentTimeMillis() + 20_000;
        while (gw.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gw.isAlive()).as("exited by itself").isFalse();
        assertThat(gw.exitValue())
                .as("ended through its shutdown hook, not killed")
                .isEqualTo(143);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        String id = Api.json(reply.substring(reply.indexOf("\r\n\r\n") + 4))
                .get("id")
                .asText();
        assertThat(SharedCluster.client().awaitJob(id, Duration.ofSeconds(180)).status())
                .as("its job was queued before the gateway exited")
                .isEqualTo("succeeded");
    }

    @Test
    void theSweeperDeletesExpiredAudioAndNothingElse() {
        Map<String, String> env = new HashMap<>(cluster.servers().env());
        env.put(InfraConfig.S3_BUCKET.name(), "retention-test-" + System.nanoTime() % 100_000);
        AudioBucket bucket = new AudioBucket(InfraConfig.fromEnv(env));
        bucket.ensureBucket();
        for (String k : List.of(
                "tenants/a/jobs/1/audio.wav",
                "tenants/a/jobs/1/segments/00000.wav",
                "tenants/b/books/2/manifest.json",
                "system/keep-me.txt")) {
            bucket.put(k, new byte[] {1, 2, 3}, "application/octet-stream");
        }
        Instant now = Instant.now();
        RetentionSweeper fresh =
                new RetentionSweeper(bucket, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC), () -> true);
        assertThat(fresh.sweep()).as("nothing is an hour old yet").isZero();

        RetentionSweeper later = new RetentionSweeper(
                bucket, Duration.ofHours(1), Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC), () -> true);
        assertThat(later.sweep()).isEqualTo(3);
        List<String> left = new ArrayList<>();
        bucket.list("", o -> left.add(o.key()));
        assertThat(left).containsExactly("system/keep-me.txt");
    }
}
