package dev.ttscluster.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.events.EventsConfig;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.testing.LoopbackRedis;
import dev.ttscluster.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the routes use of webhooks: callback parsing, registration, the view and the secret, on a real Redis. */
class WebhooksTest {
    private static LoopbackRedis redisServer;
    private static JobStore jobs;
    private static Webhooks hooks;
    private static final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @BeforeAll
    static void start() {
        redisServer = LoopbackRedis.start();
        jobs = JobStore.connect(redisServer.url(), clock, 3600);
        EventsConfig cfg = new EventsConfig(8, 150, 10, List.of("hooks.example.com", "127.0.0.1"), "", 8, 1000, 5000);
        hooks = new Webhooks(
                cfg, JobStore.client(redisServer.url(), 2000), jobs, null, Duration.ofMinutes(5), 3600, clock);
    }

    @AfterAll
    static void stop() {
        hooks.close();
        jobs.close();
        redisServer.close();
    }

    @Test
    void aCallbackUrlIsOptionalAndMustBeAnAllowedString() throws Exception {
        assertThat(hooks.callbackOf(Json.MAPPER.readTree("{\"text\":\"hi\"}"))).isNull();
        assertThat(hooks.callbackOf(Json.MAPPER.readTree("{\"callback_url\":null}")))
                .isNull();
        assertThat(hooks.callbackOf(Json.MAPPER.readTree("{\"callback_url\":\"http://127.0.0.1:9/hook\"}")))
                .isEqualTo(URI.create("http://127.0.0.1:9/hook"));
        ApiException notString = catchThrowableOfType(
                () -> hooks.callbackOf(Json.MAPPER.readTree("{\"callback_url\":5}")), ApiException.class);
        assertThat(notString.status()).isEqualTo(400);
        assertThat(notString.getMessage()).contains("'callback_url'");
        ApiException offList =
                catchThrowableOfType(() -> hooks.callbackOf("http://elsewhere.test/hook"), ApiException.class);
        assertThat(offList.getMessage()).contains("allow list");
        assertThat(hooks.callbackOf((String) null)).isNull();
    }

    @Test
    void aRegisteredCallbackShowsAsPendingInTheView() {
        assertThat(hooks.view("job", "no-such-job")).isEmpty();
        hooks.register("job", "j-1", "acme", URI.create("http://127.0.0.1:9/hook"));
        Map<String, Object> v = hooks.view("job", "j-1").orElseThrow();
        assertThat(v)
                .containsEntry("url", "http://127.0.0.1:9/hook")
                .containsEntry("state", "pending")
                .containsEntry("delivered", false)
                .containsEntry("attempts", List.of());
    }

    @Test
    void eachTenantHasItsOwnStableSigningSecret() {
        Map<String, Object> a = hooks.secretView("acme");
        assertThat(a)
                .containsEntry("tenant", "acme")
                .containsEntry("header", "Tts-Signature")
                .containsEntry("enabled", true);
        assertThat((String) a.get("secret")).startsWith("whsec_");
        assertThat(hooks.secretView("acme").get("secret")).isEqualTo(a.get("secret"));
        assertThat(hooks.secretView("other").get("secret")).isNotEqualTo(a.get("secret"));
    }
}
