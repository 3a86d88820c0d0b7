package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.deploy.local.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/jobs/{id}/events} on the real cluster: a multi-sentence job's stream carries its state, its
 * progress and every segment in index order, ends with the final state (with the audio URL) and closes; a
 * reconnect with Last-Event-ID repeats no segment; another tenant gets 404.
 */
class JobEventsEndToEndTest {
    static LocalCluster cluster;
    static Api api;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Event(String id, String name, JsonNode data) {
    }

    @BeforeAll
    static void cluster() {
        cluster = SharedCluster.get();
        api = new Api(cluster.gatewayUrl());
    }

    /** Reads the whole stream (until the server closes it). */
    static List<Event> read(String id, String lastEventId, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/v1/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(120));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> out = new ArrayList<>();
        String evId = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        for (Iterator<String> it = r.body().iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.isEmpty()) {
                if (name != null) {
                    out.add(new Event(evId, name, Api.json(data.toString())));
                }
                evId = null;
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id: ")) {
                evId = line.substring(4);
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
        return out;
    }

    @Test
    void aJobsStreamCarriesEverySegmentInOrderThenTheFinalState() throws Exception {
        String text = "The first sentence opens the stream. A second one follows it closely. "
                + "Then a third sentence arrives. And the fourth one ends it all " + System.nanoTime() % 100_000 + ".";
        HttpResponse<String> r = api.submit(Map.of("text", text));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode job = Api.json(r.body());
        String id = job.get("id").asText();
        int segments = job.get("segments").asInt();
        assertThat(segments).isGreaterThanOrEqualTo(4);

        List<Event> events = read(id, null, SharedCluster.key());
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).name()).isEqualTo("state");
        List<Integer> indices = new ArrayList<>();
        int lastDone = -1;
        for (Event e : events.subList(0, events.size() - 1)) {
            switch (e.name()) {
                case "segment" -> {
                    indices.add(e.data().get("index").asInt());
                    assertThat(e.data().get("samples").asLong()).isPositive();
                    assertThat(e.id()).isEqualTo(Integer.toString(e.data().get("index").asInt() + 1));
                }
                case "progress" -> {
                    int done = e.data().get("segments_done").asInt();
                    assertThat(done).isGreaterThan(lastDone);
                    assertThat(e.data().get("segments").asInt()).isEqualTo(segments);
                    lastDone = done;
                }
                case "state" -> assertThat(e.data().get("status").asText()).isIn("queued", "running");
                default -> throw new AssertionError("unexpected event " + e);
            }
        }
        assertThat(indices).as("every segment once, in order").containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, segments).boxed().toList());
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("state");
        assertThat(last.data().get("status").asText()).isEqualTo("succeeded");
        assertThat(last.data().get("audio_url").asText()).startsWith("http");
        assertThat(last.data().get("audio_seconds").asDouble()).isPositive();
        assertThat(api.getBytes(last.data().get("audio_url").asText()).statusCode()).isEqualTo(200);

        // a reconnect after the second segment: the rest only, then the final state
        List<Event> resumed = read(id, "2", SharedCluster.key());
        assertThat(resumed.stream().filter(e -> e.name().equals("segment")).map(e -> e.data().get("index").asInt()).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(2, segments).boxed().toList());
        assertThat(resumed.get(resumed.size() - 1).data().get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void anotherTenantsJobStreamIs404() {
        HttpResponse<String> r = api.submit(Map.of("text", "Only my own tenant may follow this " + System.nanoTime() % 1000 + "."));
        String id = Api.json(r.body()).get("id").asText();
        Api other = new Api(cluster.gatewayUrl(), cluster.createApiKey("events-other"));
        HttpResponse<String> resp = other.get("/v1/jobs/" + id + "/events");
        assertThat(resp.statusCode()).isEqualTo(404);
        assertThat(Api.json(resp.body()).get("error").asText()).isEqualTo("not_found");
        assertThat(new Api(cluster.gatewayUrl(), null).get("/v1/jobs/" + id + "/events").statusCode()).isEqualTo(401);
    }
}
