package dev.ttscluster.gateway.webhooks;

import dev.ttscluster.gateway.api.ApiException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which {@code callback_url}s the gateway calls. A URL must be {@code http} or {@code https} with no user
 * info, its host must match the allow list ({@code TTS_GATEWAY_WEBHOOK_ALLOW_HOSTS}: exact names, or
 * {@code *.example.com} for any name below example.com), and every address the host resolves to must be
 * public, with two exceptions:
 * <ul>
 *   <li>loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) addresses only when the URL's host is
 *       listed <em>exactly</em> (a pattern never reaches them);</li>
 *   <li>link-local (169.254/16, fe80::/10, cloud metadata services such as 169.254.169.254), any-local
 *       (0.0.0.0/8, ::), multicast and broadcast addresses and the known metadata addresses 100.100.100.200
 *       and fd00:ec2::254 never, even when listed.</li>
 * </ul>
 * The check runs at submission and again right before every delivery attempt (the host is resolved again,
 * so a name that now points at a refused address is not called). Immutable.
 */
public final class CallbackUrls {
    private final List<String> allow;

    /** @param allow the allow list: lower-case names or {@code *.domain} patterns; empty refuses every URL */
    public CallbackUrls(List<String> allow) {
        this.allow = List.copyOf(allow);
    }

    /**
     * Checks a callback URL at submission.
     *
     * @return the URL, normalized
     * @throws ApiException 400 saying why it is refused
     */
    public URI check(String url) {
        if (allow.isEmpty()) {
            throw ApiException.badRequest(
                    "webhooks are not enabled on this gateway (TTS_GATEWAY_WEBHOOK_ALLOW_HOSTS is "
                            + "empty); 'callback_url' is refused");
        }
        String why = refusal(url);
        if (why != null) {
            throw ApiException.badRequest("'callback_url' is refused: " + why);
        }
        return URI.create(url.trim());
    }

    /** Why the URL may not be called now, or null when it may (resolves its host). */
    public String refusal(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            return "it must be an http or https URL of at most 2000 characters";
        }
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "it is not a valid URL";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are called";
        }
        if (u.getRawUserInfo() != null) {
            return "the URL may not carry user info";
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            return "the URL has no host";
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String h = host;
        boolean exact = allow.contains(h) || allow.contains("[" + h + "]");
        boolean pattern = !exact && allow.stream().anyMatch(p -> p.startsWith("*.") && h.endsWith(p.substring(1)));
        if (!exact && !pattern) {
            return "host '" + abbreviate(host) + "' is not in the webhook allow list";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "host '" + abbreviate(host) + "' does not resolve";
        }
        for (InetAddress a : addresses) {
            if (never(a)) {
                return "host '" + abbreviate(host) + "' resolves to " + a.getHostAddress()
                        + ", a link-local, metadata, multicast or unspecified address that is never called";
            }
            if (internal(a) && !exact) {
                return "host '" + abbreviate(host) + "' resolves to the internal address " + a.getHostAddress()
                        + ", called only when the host is listed exactly";
            }
        }
        return null;
    }

    /** Addresses never called: link-local (metadata services), unspecified, multicast, broadcast, known metadata. */
    static boolean never(InetAddress a) {
        if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0
                    || b0 == 169 && b1 == 254
                    || (b0 == 255 && (b[1] & b[2] & b[3] & 0xff) == 0xff)
                    || a.getHostAddress().equals("100.100.100.200")
                    || b0 >= 224;
        }
        if (a instanceof Inet6Address) {
            return a.getHostAddress().replaceAll("(^|:)0+([0-9a-f])", "$1$2").startsWith("fd00:ec2:0:0:0:0:0:254")
                    || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80);
        }
        return false;
    }

    /** Loopback and private addresses. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64/10, carrier-grade NAT
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
