package dev.ttscluster.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.gateway.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackUrlsTest {
    @Test
    void anEmptyAllowListRefusesEveryUrl() {
        assertThatThrownBy(() -> new CallbackUrls(List.of()).check("https://127.0.0.1/x"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("not enabled");
    }

    @Test
    void loopbackOnlyWhenListedExactlyAndLinkLocalNever() {
        CallbackUrls urls = new CallbackUrls(List.of("127.0.0.1", "169.254.169.254", "*.localhost", "[::1]"));
        assertThat(urls.refusal("http://127.0.0.1:8080/hook")).isNull();
        assertThat(urls.refusal("http://[::1]:8080/hook")).isNull();
        assertThat(urls.refusal("http://169.254.169.254/latest/meta-data")).contains("never called");
        assertThat(urls.refusal("http://10.0.0.1/x")).contains("not in the webhook allow list");
        assertThat(urls.refusal("ftp://127.0.0.1/x")).contains("http and https");
        assertThat(urls.refusal("http://u:p@127.0.0.1/x")).contains("user info");
        assertThat(urls.refusal("not a url")).isNotNull();
        assertThat(CallbackUrls.never(addr("0.0.0.0"))).isTrue();
        assertThat(CallbackUrls.never(addr("fe80::1"))).isTrue();
        assertThat(CallbackUrls.never(addr("fd00:ec2::254"))).isTrue();
        assertThat(CallbackUrls.never(addr("100.100.100.200"))).isTrue();
        assertThat(CallbackUrls.never(addr("93.184.216.34"))).isFalse();
        assertThat(CallbackUrls.internal(addr("192.168.1.1"))).isTrue();
        assertThat(CallbackUrls.internal(addr("fc00::1"))).isTrue();
        assertThat(CallbackUrls.internal(addr("93.184.216.34"))).isFalse();
    }

    @Test
    void signaturesAreHmacOverTimestampAndBody() {
        WebhookSigner s = new WebhookSigner("master".getBytes(StandardCharsets.UTF_8));
        assertThat(s.secretOf("acme")).startsWith("whsec_").isNotEqualTo(s.secretOf("other"));
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        String h = s.signature("acme", 1700000000L, body);
        assertThat(h).startsWith("t=1700000000,v1=").hasSize("t=1700000000,v1=".length() + 64);
        assertThat(WebhookSigner.header(s.secretOf("acme"), 1700000000L, body)).isEqualTo(h);
        assertThat(s.signature("acme", 1700000001L, body)).isNotEqualTo(h);
    }

    private static java.net.InetAddress addr(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
