package dev.ttscluster.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The strict JSON reader for request bodies: one value and nothing after it, no duplicate keys, at most
 * {@value #MAX_DEPTH} levels of nesting, bounded string and number lengths. Anything else is an
 * {@link IOException} the route answers with 400. Thread-safe.
 */
final class RequestJson {
    static final int MAX_DEPTH = 16;
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(64)
                            .maxStringLength(20_000_000)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestJson() {}

    /** Parses a whole body. */
    static JsonNode parse(byte[] body) throws IOException {
        return STRICT.readTree(body);
    }
}
