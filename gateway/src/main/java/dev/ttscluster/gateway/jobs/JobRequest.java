package dev.ttscluster.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.config.GatewayConfig;
import java.util.Iterator;
import java.util.Set;

/**
 * A validated {@code POST /v1/jobs} body.
 *
 * @param text the text to speak, as sent
 * @param voice a served voice
 * @param format a produced format
 * @param speed speaking rate in [0.25, 4.0]
 */
public record JobRequest(String text, String voice, String format, double speed) {
    private static final Set<String> FIELDS = Set.of("text", "voice", "format", "speed", "callback_url");
    public static final double MIN_SPEED = 0.25;
    public static final double MAX_SPEED = 4.0;

    /**
     * Validates a parsed body against the configuration.
     *
     * @throws ApiException 400 naming the offending field
     */
    public static JobRequest from(JsonNode body, GatewayConfig cfg) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(
                        "unknown field '" + abbreviate(f) + "'; allowed: text, voice, format, speed, callback_url");
            }
        }
        JsonNode t = body.get("text");
        if (t == null || t.isNull()) {
            throw ApiException.badRequest("'text' is required");
        }
        if (!t.isTextual()) {
            throw ApiException.badRequest("'text' must be a string");
        }
        String text = t.asText();
        if (text.isBlank()) {
            throw ApiException.badRequest("'text' is empty");
        }
        if (text.length() > cfg.maxTextChars()) {
            throw new ApiException(
                    413,
                    "text_too_long",
                    "'text' has " + text.length() + " characters; the limit is " + cfg.maxTextChars());
        }
        checkCharacters("text", text);
        String voice = optionalString(body, "voice", cfg.voices().get(0));
        if (!cfg.voices().contains(voice)) {
            throw ApiException.badRequest("unknown voice '" + abbreviate(voice) + "'; available: " + cfg.voices());
        }
        String format = optionalString(body, "format", cfg.formats().get(0));
        if (!cfg.formats().contains(format)) {
            throw ApiException.badRequest("unknown format '" + abbreviate(format) + "'; available: " + cfg.formats());
        }
        double speed = 1.0;
        JsonNode s = body.get("speed");
        if (s != null && !s.isNull()) {
            if (!s.isNumber()) {
                throw ApiException.badRequest("'speed' must be a number");
            }
            speed = s.asDouble();
            if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
                throw ApiException.badRequest("'speed' must be between " + MIN_SPEED + " and " + MAX_SPEED);
            }
        }
        return new JobRequest(text, voice, format, speed);
    }

    /**
     * Refuses control characters (other than tab, line feed and carriage return) and unpaired surrogates,
     * which no speech can come from and which would not survive the trip to the workers intact.
     *
     * @throws ApiException 400 naming the character and its position
     */
    public static void checkCharacters(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest(
                        "'" + field + "' has an unpaired surrogate U+" + hex(c) + " at position " + i);
            } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                throw ApiException.badRequest(
                        "'" + field + "' has control character U+" + hex(c) + " at position " + i);
            }
        }
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    /**
     * The string {@code field} of a request body, or {@code dflt} when absent or null.
     *
     * @throws ApiException 400 when it is present but not a string
     */
    public static String optionalString(JsonNode body, String field, String dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return n.asText();
    }

    /** The string made printable ASCII and cut to 40 characters, safe to echo in an error. */
    public static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
