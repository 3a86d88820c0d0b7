package dev.ttscluster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoopbackRedisTest {
    @Test
    void answersAPingOnItsLoopbackPort() throws Exception {
        try (LoopbackRedis redis = LoopbackRedis.start();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = s.getInputStream().readNBytes(reply, 0, 7);

            assertThat(new String(reply, 0, n, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
        }
    }
}
