package dev.ttscluster.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing. Each tenant has its own signing secret, {@code whsec_} followed by the hex of
 * HMAC-SHA256(gateway secret, "tenant:" + tenant), so every gateway derives the same one and no secret is
 * stored per tenant ({@code GET /v1/webhooks/secret} shows the caller's). A delivery carries
 * {@code Tts-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key = the tenant's secret as UTF-8,
 * message = t + "." + body)>}; a receiver recomputes it over the raw body, compares in constant time and
 * refuses timestamps far from its clock (replays). Immutable.
 */
public final class WebhookSigner {
    /** The signature header. */
    public static final String HEADER = "Tts-Signature";

    private final byte[] master;

    /** @param master the gateway secret (the same on every gateway) */
    public WebhookSigner(byte[] master) {
        this.master = master.clone();
    }

    /** The tenant's signing secret. */
    public String secretOf(String tenant) {
        return "whsec_" + HexFormat.of().formatHex(hmac(master, ("tenant:" + tenant).getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@link #HEADER} value for {@code body} sent at {@code unixSeconds} to a receiver of {@code tenant}. */
    public String signature(String tenant, long unixSeconds, byte[] body) {
        return header(secretOf(tenant), unixSeconds, body);
    }

    /** The {@link #HEADER} value for {@code body} signed with {@code secret} at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] msg = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, msg, 0, prefix.length);
        System.arraycopy(body, 0, msg, prefix.length, body.length);
        return "t=" + unixSeconds + ",v1="
                + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), msg));
    }

    static byte[] hmac(byte[] key, byte[] msg) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
