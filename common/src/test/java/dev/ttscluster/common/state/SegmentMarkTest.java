package dev.ttscluster.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SegmentMarkTest {
    @Test
    void readyWhenAllSegmentsDoneAndJobNotFinal() {
        assertThat(new SegmentMark(true, 3, 3, false).readyToAssemble()).isTrue();
    }

    @Test
    void readyAlsoOnRedeliveryOfLastSegment() {
        assertThat(new SegmentMark(false, 3, 3, false).readyToAssemble()).isTrue();
    }

    @Test
    void notReadyWhileSegmentsRemain() {
        assertThat(new SegmentMark(true, 2, 3, false).readyToAssemble()).isFalse();
    }

    @Test
    void notReadyWhenJobUnknown() {
        assertThat(new SegmentMark(true, 0, 0, false).readyToAssemble()).isFalse();
        assertThat(new SegmentMark(true, 1, 0, false).readyToAssemble()).isFalse();
    }

    @Test
    void notReadyWhenJobAlreadyFinal() {
        assertThat(new SegmentMark(true, 3, 3, true).readyToAssemble()).isFalse();
    }
}
