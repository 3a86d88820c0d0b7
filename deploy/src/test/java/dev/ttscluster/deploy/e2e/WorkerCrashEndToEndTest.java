package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker killed with SIGKILL in the middle of a run loses nothing and double-counts nothing. */
class WorkerCrashEndToEndTest {
    static LocalCluster cluster;
    static Api api;

    @BeforeAll
    static void cluster() {
        cluster = SharedCluster.get();
        SharedCluster.restoreWorkers();
        api = new Api(cluster.gatewayUrl());
    }

    @AfterAll
    static void restore() {
        SharedCluster.restoreWorkers();
    }

    @Test
    void everyJobSucceedsAfterAWorkerIsKilledMidRun() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        // every sentence unique (a numbered clause), so the segment cache cannot finish the jobs before the kill
        long run = System.nanoTime() % 1000;
        for (int i = 0; i < 40; i++) {
            texts.add(JobLifecycleEndToEndTest.uniqueText(i, 6, "case", run));
            var r = api.submit(Map.of("text", texts.get(i)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(Api.json(r.body()).get("id").asText());
        }
        // Wait until the workers are busy, then kill one without warning.
        long deadline = System.currentTimeMillis() + 60_000;
        while (api.job(ids.get(0)).get("status").asText().equals("queued") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        ChildJvm victim = cluster.workers().get(0);
        victim.kill();
        assertThat(victim.isAlive()).isFalse();
        int notFinishedAtKill = 0;
        for (String id : ids) {
            if (!Api.isFinal(api.job(id))) {
                notFinishedAtKill++;
            }
        }
        assertThat(notFinishedAtKill).as("jobs still running when the worker died").isPositive();

        Map<String, String> env = cluster.servers().env();
        int duplicates = 0;
        try (JobStore store = JobStore.connect(env.get(InfraConfig.REDIS_URL.name()), Clock.systemUTC(), 3600)) {
            for (int i = 0; i < ids.size(); i++) {
                JsonNode job = api.awaitFinal(ids.get(i), Duration.ofSeconds(180));
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                JobRecord r = store.get(ids.get(i)).orElseThrow();
                assertThat(r.done()).as("distinct segments counted").isEqualTo(r.segments());
                duplicates += r.duplicates();
                short[] audio = ReferenceSynthesis.samples(api.getBytes(job.get("audio_url").asText()).body());
                assertThat(audio.length).as("a double-counted segment would lengthen the audio")
                        .isEqualTo(ReferenceSynthesis.expected(texts.get(i), 1.0).length);
            }
        }
        System.out.println("worker crash: " + notFinishedAtKill + " jobs in flight at the kill, " + duplicates
                + " redelivered segments suppressed");
    }
}
