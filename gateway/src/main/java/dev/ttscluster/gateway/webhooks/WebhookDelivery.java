package dev.ttscluster.gateway.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One delivery attempt: the URL is checked again ({@link CallbackUrls}, resolving its host anew), then the event
 * is POSTed as JSON with {@code Tts-Webhook-Id} and a {@code Tts-Signature} ({@link WebhookSigner}). Redirects are
 * never followed; any answer but 2xx, and any connection error, is a failed attempt. Thread-safe.
 */
final class WebhookDelivery {
    /** The outcome of one attempt: the receiver's status (null: no answer) and the error (null: delivered). */
    record Attempt(Integer status, String error) {
        boolean delivered() {
            return error == null;
        }
    }

    private final CallbackUrls urls;
    private final Supplier<WebhookSigner> signer;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param signer the signer, asked at each attempt (it may need Redis the first time)
     * @param timeout connect and response timeout of an attempt
     */
    WebhookDelivery(CallbackUrls urls, Supplier<WebhookSigner> signer, Duration timeout) {
        this.urls = urls;
        this.signer = signer;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * POSTs {@code body} to {@code url} for a receiver of {@code tenant}, signed at {@code unixSeconds}.
     *
     * @param webhookId the {@code Tts-Webhook-Id} a receiver dedupes on
     * @throws InterruptedException when the thread is interrupted while waiting for the answer
     * @throws dev.ttscluster.common.error.RetriableException when the signer needs Redis and it is unavailable
     */
    Attempt post(String url, String webhookId, String tenant, long unixSeconds, byte[] body)
            throws InterruptedException {
        String refusal = urls.refusal(url);
        if (refusal != null) {
            return new Attempt(null, refusal);
        }
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "tts-cluster-webhooks/1")
                    .header("Tts-Webhook-Id", webhookId)
                    .header(WebhookSigner.HEADER, signer.get().signature(tenant, unixSeconds, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Attempt(status, status / 100 == 2 ? null : "the receiver answered " + status);
        } catch (IOException e) {
            return new Attempt(
                    null,
                    "could not deliver: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
