package dev.ttscluster.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.error.FatalException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentTaskTest {
    private static final SegmentTask TASK = new SegmentTask(
            SegmentTask.SCHEMA_VERSION,
            "job-1",
            "acme",
            2,
            5,
            "Hello \"world\" \u00E9.",
            "default",
            1.25,
            1_700_000_000_123L);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodeDecodeRoundTrips() {
        assertThat(SegmentTask.decode(TASK.encode())).isEqualTo(TASK);
    }

    @Test
    void encodedFormUsesWireFieldNames() {
        String json = new String(TASK.encode(), StandardCharsets.UTF_8);
        assertThat(json)
                .contains(
                        "\"v\":1",
                        "\"job_id\":\"job-1\"",
                        "\"tenant\":\"acme\"",
                        "\"index\":2",
                        "\"count\":5",
                        "\"voice\":\"default\"",
                        "\"speed\":1.25",
                        "\"submitted_ms\":1700000000123");
    }

    @Test
    void recordKeyIsJobAndIndex() {
        assertThat(TASK.recordKey()).isEqualTo("job-1/2");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"v\":1,\"job_id\":\"j\",\"tenant\":\"t\",\"index\":0,\"count\":1,\"text\":\"hi\","
                + "\"voice\":\"v\",\"speed\":1.0,\"submitted_ms\":5,\"future_field\":{\"x\":[1,2]}}";
        SegmentTask t = SegmentTask.decode(utf8(json));
        assertThat(t).isEqualTo(new SegmentTask(1, "j", "t", 0, 1, "hi", "v", 1.0, 5));
    }

    @Test
    void decodeRejectsGarbage() {
        assertThatThrownBy(() -> SegmentTask.decode(utf8("not json"))).isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> SegmentTask.decode(new byte[0])).isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> SegmentTask.decode(utf8("[1,2]"))).isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> SegmentTask.decode(utf8("{\"v\":1,"))).isInstanceOf(FatalException.class);
    }

    @Test
    void decodeRejectsJsonNull() {
        assertThatThrownBy(() -> SegmentTask.decode(utf8("null"))).isInstanceOf(FatalException.class);
    }

    @Test
    void decodeRejectsMissingRequiredField() {
        String json = "{\"v\":1,\"tenant\":\"t\",\"index\":0,\"count\":1,\"text\":\"hi\",\"voice\":\"v\"}";
        assertThatThrownBy(() -> SegmentTask.decode(utf8(json))).isInstanceOf(FatalException.class);
    }

    @Test
    void decodeRejectsUnknownSchemaVersion() {
        byte[] json = new SegmentTask(2, "j", "t", 0, 1, "hi", "v", 1.0, 5).encode();
        assertThatThrownBy(() -> SegmentTask.decode(json))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void decodeRejectsIndexAtOrBeyondCount() {
        byte[] atCount = new SegmentTask(1, "j", "t", 3, 3, "hi", "v", 1.0, 5).encode();
        byte[] negative = new SegmentTask(1, "j", "t", -1, 3, "hi", "v", 1.0, 5).encode();
        assertThatThrownBy(() -> SegmentTask.decode(atCount)).isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> SegmentTask.decode(negative)).isInstanceOf(FatalException.class);
    }
}
