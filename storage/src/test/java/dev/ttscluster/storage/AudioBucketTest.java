package dev.ttscluster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.testing.Env;
import dev.ttscluster.testing.FakeS3;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audio bucket's reads, writes and error types against a fake S3 on loopback. */
class AudioBucketTest {
    FakeS3 s3;
    AudioBucket bucket;

    @BeforeEach
    void start() {
        s3 = new FakeS3();
        bucket = new AudioBucket(InfraConfig.fromEnv(Env.s3Credentials().with(InfraConfig.S3_ENDPOINT, s3.endpoint())));
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    @Test
    void anObjectPutIsReadBackFromTheBucket() {
        byte[] audio = "RIFF....WAVE".getBytes(StandardCharsets.US_ASCII);

        bucket.put("jobs/j1/audio.wav", audio, "audio/wav");

        assertThat(s3.get("tts-audio", "jobs/j1/audio.wav")).isEqualTo(audio);
        assertThat(bucket.get("jobs/j1/audio.wav")).hasValue(audio);
    }

    @Test
    void aMissingObjectIsEmpty() {
        assertThat(bucket.get("jobs/none/audio.wav")).isEmpty();
        assertThat(bucket.open("jobs/none/audio.wav")).isEmpty();
    }

    @Test
    void aServerErrorOnPutIsARetriableS3FailureAndStoresNothing() {
        s3.failNextPuts(1);

        assertThatThrownBy(() -> bucket.put("jobs/j2/audio.wav", new byte[] {1, 2}, "audio/wav"))
                .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.dependency())
                        .isEqualTo(Dependency.S3));
        assertThat(s3.keys()).isEmpty();

        bucket.put("jobs/j2/audio.wav", new byte[] {1, 2}, "audio/wav");
        assertThat(s3.keys()).containsExactly("tts-audio/jobs/j2/audio.wav");
    }

    @Test
    void presignedUrlsPointAtThePublicEndpointWithoutAnyRequest() {
        AudioBucket signer = new AudioBucket(InfraConfig.fromEnv(Env.s3Credentials()
                .with(InfraConfig.S3_ENDPOINT, s3.endpoint())
                .with(InfraConfig.S3_PUBLIC_ENDPOINT, "https://audio.example.com")));

        String url = signer.presignGet("jobs/j3/audio.wav", Duration.ofMinutes(10));

        assertThat(url)
                .startsWith("https://audio.example.com/tts-audio/jobs/j3/audio.wav?")
                .contains("X-Amz-Expires=600")
                .contains("X-Amz-Signature=");
        assertThat(s3.keys()).isEmpty();
    }
}
