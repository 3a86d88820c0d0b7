package dev.ttscluster.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void segmentKeyIsZeroPaddedUnderJobPrefix() {
        assertThat(ObjectKeys.segment("acme", "job-1", 3)).isEqualTo("tenants/acme/jobs/job-1/segments/00003.wav");
        assertThat(ObjectKeys.segment("acme", "job-1", 12345)).isEqualTo("tenants/acme/jobs/job-1/segments/12345.wav");
    }

    @Test
    void jobAudioKeyUsesFormat() {
        assertThat(ObjectKeys.jobAudio("acme", "job-1", "wav")).isEqualTo("tenants/acme/jobs/job-1/audio.wav");
    }

    @Test
    void everyObjectOfAJobSharesItsPrefix() {
        String prefix = ObjectKeys.jobPrefix("acme", "job-1");
        assertThat(prefix).isEqualTo("tenants/acme/jobs/job-1/");
        assertThat(ObjectKeys.segment("acme", "job-1", 0)).startsWith(prefix);
        assertThat(ObjectKeys.jobAudio("acme", "job-1", "wav")).startsWith(prefix);
    }
}
