// The JSON settings shared by safetensors headers and checkpoint indexes.
package io.synod.adapters.safetensors;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** A strict mapper: a repeated key or anything after the top-level value is an error, not a silent pick. */
final class Json {

    /** Thread-safe once configured, as Jackson documents. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            // Two entries for one tensor name could make two readers see different tensors.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** True for a JSON integer that fits a long and is not negative. */
    static boolean isNonNegativeLong(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0;
    }
}
