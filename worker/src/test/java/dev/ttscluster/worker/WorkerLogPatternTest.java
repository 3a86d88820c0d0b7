package dev.ttscluster.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

/** The worker's log4j2 configuration prints each line's job and trace ids, and nothing for lines without. */
class WorkerLogPatternTest {
    private static String format(String jobId, String traceId) throws Exception {
        try (InputStream in = WorkerMain.class.getClassLoader().getResourceAsStream(WorkerMain.LOG_CONFIG)) {
            assertThat(in).as(WorkerMain.LOG_CONFIG + " on the classpath").isNotNull();
            XmlConfiguration cfg = new XmlConfiguration(null, new ConfigurationSource(in));
            cfg.initialize();
            Layout<?> layout = cfg.getAppender("out").getLayout();
            SortedArrayStringMap mdc = new SortedArrayStringMap();
            if (jobId != null) {
                mdc.putValue("job_id", jobId);
                mdc.putValue("trace_id", traceId);
            }
            LogEvent e = Log4jLogEvent.newBuilder()
                    .setLoggerName("dev.ttscluster.worker.retry.Retrier")
                    .setLevel(Level.WARN)
                    .setMessage(new SimpleMessage("retrying in 200 ms"))
                    .setThreadName("upload")
                    .setContextData(mdc)
                    .build();
            return new String(layout.toByteArray(e), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLineWrittenForASegmentCarriesItsJobAndTrace() throws Exception {
        assertThat(format("job-1", "trace-9")).contains("Retrier job_id=job-1 trace_id=trace-9 - retrying in 200 ms");
    }

    @Test
    void aLineWrittenForNoJobHasNeither() throws Exception {
        String line = format(null, null);
        assertThat(line)
                .contains("Retrier - retrying in 200 ms")
                .doesNotContain("job_id")
                .doesNotContain("trace_id");
    }
}
