package dev.ttscluster.e2e;

import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.TtsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Steps the fault tests share: submit a run of jobs, wait until the workers are on them, count the open ones. */
final class Jobs {
    private Jobs() {}

    /** {@code n} texts of {@code sentences} unique sentences each (see {@link JobLifecycleEndToEndTest#uniqueText}). */
    static List<String> uniqueTexts(int n, int sentences, String tag, long run) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add(JobLifecycleEndToEndTest.uniqueText(i, sentences, tag, run));
        }
        return texts;
    }

    /** Submits each text as a job (the server's defaults otherwise); their ids, in order. */
    static List<String> submit(TtsClient api, List<String> texts) {
        List<String> ids = new ArrayList<>();
        for (String t : texts) {
            ids.add(api.submitJob(JobRequest.of(t)).view().id());
        }
        return ids;
    }

    /** Waits (up to 60 s, looking every 20 ms) until the job has left the queue: the workers are on it. */
    static void awaitStarted(TtsClient api, String id) {
        TtsClient eager = TtsClient.builder(api.baseUrl())
                .apiKey(SharedCluster.key())
                .pollInterval(Duration.ofMillis(20))
                .build();
        eager.awaitJob(id, Duration.ofSeconds(60), j -> !j.status().equals("queued"));
    }

    /** How many of the jobs are not final now. */
    static int notFinal(TtsClient api, List<String> ids) {
        int n = 0;
        for (String id : ids) {
            if (!api.job(id).isFinal()) {
                n++;
            }
        }
        return n;
    }
}
