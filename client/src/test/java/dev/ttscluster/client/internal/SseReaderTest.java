package dev.ttscluster.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    static SseReader reader(String s) {
        return new SseReader(new BufferedReader(new StringReader(s)));
    }

    @Test
    void commentsAreSkippedAndDataLinesJoin() throws Exception {
        SseReader r = reader(": ping\n\nid: 3\nevent: segment\ndata: a\ndata: b\n\n");
        assertThat(r.next()).isEqualTo(new SseReader.Frame("3", "segment", "a\nb"));
        assertThat(r.next()).isNull();
    }

    @Test
    void anEventWithoutANameIsAMessageAndACutOffFrameIsDropped() throws Exception {
        SseReader r = reader("data:x\n\nevent: state\ndata: {}");
        assertThat(r.next()).isEqualTo(new SseReader.Frame(null, "message", "x"));
        assertThat(r.next()).isNull();
    }
}
