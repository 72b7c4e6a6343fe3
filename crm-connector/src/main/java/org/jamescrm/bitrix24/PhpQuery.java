package org.jamescrm.bitrix24;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PHP bracket encoding of parameters ({@code fields[TITLE]=X&fields[EMAIL][0][VALUE]=a%40b.c}): the
 * form the commands of a {@code batch} call take (bitrix24-api §5). Values and the names inside the
 * brackets are URL-encoded once, so a filter key such as {@code =ID} or {@code %NAME} reaches PHP's
 * {@code parse_str} intact; {@code $result[...]} references are left readable, as the portal
 * substitutes them before decoding.
 */
final class PhpQuery {

    private PhpQuery() {
    }

    static String encode(JsonNode params) {
        StringJoiner query = new StringJoiner("&");
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            append(query, encodeValue(field.getKey()), field.getValue());
        }
        return query.toString();
    }

    private static void append(StringJoiner query, String key, JsonNode value) {
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> append(query, key + "[" + encodeName(field.getKey()) + "]", field.getValue()));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                append(query, key + "[" + i + "]", value.get(i));
            }
        } else if (!value.isNull()) {
            query.add(key + "=" + encodeValue(value.asText()));
        }
    }

    private static String encodeName(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodeValue(String value) {
        if (value.startsWith("$result[")) {
            return value; // a reference to an earlier command of the batch
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
