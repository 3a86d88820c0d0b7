package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.state.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A worker killed with SIGKILL in the middle of a run loses nothing and double-counts nothing. */
@OnSharedCluster
class WorkerCrashEndToEndTest {
    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    @AfterAll
    static void restore() {
        SharedCluster.restoreWorkers();
    }

    @Test
    void everyJobSucceedsAfterAWorkerIsKilledMidRun() throws Exception {
        // every sentence unique (a numbered clause), so the segment cache cannot finish the jobs before the kill
        List<String> texts = Jobs.uniqueTexts(40, 6, "case", System.nanoTime() % 1000);
        List<String> ids = Jobs.submit(api, texts);
        // Wait until the workers are busy, then kill one without warning.
        Jobs.awaitStarted(api, ids.get(0));
        ChildJvm victim = cluster.workers().get(0);
        victim.kill();
        assertThat(victim.isAlive()).isFalse();
        int notFinishedAtKill = Jobs.notFinal(api, ids);
        assertThat(notFinishedAtKill)
                .as("jobs still running when the worker died")
                .isPositive();

        Map<String, String> env = cluster.servers().env();
        int duplicates = 0;
        try (JobStore store = JobStore.connect(env.get(InfraConfig.REDIS_URL.name()), Clock.systemUTC(), 3600)) {
            for (int i = 0; i < ids.size(); i++) {
                JobView job = api.awaitJob(ids.get(i), Duration.ofSeconds(180));
                assertThat(job.status()).as(job.toString()).isEqualTo("succeeded");
                JobRecord r = store.get(ids.get(i)).orElseThrow();
                assertThat(r.done()).as("distinct segments counted").isEqualTo(r.segments());
                duplicates += r.duplicates();
                short[] audio = ReferenceSynthesis.samples(api.download(job.audioUrl()));
                assertThat(audio.length)
                        .as("a double-counted segment would lengthen the audio")
                        .isEqualTo(ReferenceSynthesis.expected(texts.get(i), 1.0).length);
            }
        }
        System.out.println("worker crash: " + notFinishedAtKill + " jobs in flight at the kill, " + duplicates
                + " redelivered segments suppressed");
    }
}
