package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.client.api.JobEvent;
import dev.ttscluster.client.api.JobEventStream;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/{id}/events} on the real cluster: a multi-sentence job's stream carries its state, its
 * progress and every segment in index order, ends with the final state (with the audio URL) and closes; a
 * reconnect with Last-Event-ID repeats no segment; another tenant gets 404.
 */
@OnSharedCluster
class JobEventsEndToEndTest {
    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    /** Reads the whole stream (until the server closes it). */
    List<JobEvent> read(String id, String lastEventId) {
        try (JobEventStream s = api.events(id, lastEventId)) {
            assertThat(s.contentType()).startsWith("text/event-stream");
            return s.readAll();
        }
    }

    @Test
    void aJobsStreamCarriesEverySegmentInOrderThenTheFinalState() {
        String text = "The first sentence opens the stream. A second one follows it closely. "
                + "Then a third sentence arrives. And the fourth one ends it all " + System.nanoTime() % 100_000 + ".";
        JobView job = api.submitJob(JobRequest.of(text)).view();
        String id = job.id();
        int segments = job.segments();
        assertThat(segments).isGreaterThanOrEqualTo(4);

        List<JobEvent> events = read(id, null);
        assertThat(events).isNotEmpty();
        assertThat(events.get(0)).isInstanceOf(JobEvent.State.class);
        List<Integer> indices = new ArrayList<>();
        int lastDone = -1;
        for (JobEvent e : events.subList(0, events.size() - 1)) {
            if (e instanceof JobEvent.Segment s) {
                indices.add(s.index());
                assertThat(s.samples()).isPositive();
                assertThat(s.id()).isEqualTo(Integer.toString(s.index() + 1));
            } else if (e instanceof JobEvent.Progress p) {
                assertThat(p.segmentsDone()).isGreaterThan(lastDone);
                assertThat(p.segments()).isEqualTo(segments);
                lastDone = p.segmentsDone();
            } else if (e instanceof JobEvent.State s) {
                assertThat(s.status()).isIn("queued", "running");
            } else {
                throw new AssertionError("unexpected event " + e);
            }
        }
        assertThat(indices)
                .as("every segment once, in order")
                .containsExactlyElementsOf(IntStream.range(0, segments).boxed().toList());
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(JobEvent.State.class, last -> {
            assertThat(last.status()).isEqualTo("succeeded");
            assertThat(last.audioUrl()).startsWith("http");
            assertThat(last.audioSeconds()).isPositive();
            assertThat(api.download(last.audioUrl())).isNotEmpty();
        });

        // a reconnect after the second segment: the rest only, then the final state
        List<JobEvent> resumed = read(id, "2");
        assertThat(resumed.stream()
                        .filter(JobEvent.Segment.class::isInstance)
                        .map(e -> ((JobEvent.Segment) e).index())
                        .toList())
                .containsExactlyElementsOf(IntStream.range(2, segments).boxed().toList());
        assertThat(((JobEvent.State) resumed.get(resumed.size() - 1)).status()).isEqualTo("succeeded");
    }

    @Test
    void anotherTenantsJobStreamIs404() {
        String id = api.submitJob(JobRequest.of("Only my own tenant may follow this " + System.nanoTime() % 1000 + "."))
                .view()
                .id();
        TtsClient other = SharedCluster.client(cluster.createApiKey("events-other"));
        TtsApiException e = catchThrowableOfType(() -> other.events(id, null), TtsApiException.class);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(catchThrowableOfType(() -> SharedCluster.client(null).events(id, null), TtsApiException.class)
                        .status())
                .isEqualTo(401);
    }
}
