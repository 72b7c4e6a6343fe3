package org.jamescrm.emulator.bitrix24;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The PHP semantics a Bitrix24 portal applies to what it receives, so that the emulator reads a
 * request exactly as the portal would: {@code parse_str} for query strings, form bodies and the
 * commands of a {@code batch} (bitrix24-api §1.3, §5), {@code intval}, truthiness, and the lenient
 * parameter-name resolution of the CRM proxies. A PHP array is held as an {@link ObjectNode} with
 * string keys (a JSON list becomes keys "0", "1", ...), so both encodings share one code path.
 */
final class Php {
    /** The node factory: stateless, shared by every emulator instance. */
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Php() {
    }

    /**
     * PHP's {@code parse_str}: pairs split on {@code &}, each split on its <em>first raw</em> {@code =}
     * before URL-decoding (so an unencoded {@code =} inside a key, as in {@code filter[=ID]=5}, breaks the
     * key exactly as on a real portal), then bracket keys registered as nested arrays.
     */
    static ObjectNode parseStr(String raw) {
        ObjectNode result = NODES.objectNode();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = urldecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : urldecode(pair.substring(eq + 1));
            register(result, key, NODES.textNode(value));
        }
        return result;
    }

    /** PHP's {@code urldecode}: {@code +} is a space, {@code %XX} a byte only when both digits are hex. */
    static String urldecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1))
                && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * PHP's {@code php_register_variable_ex}: leading spaces dropped, {@code ' '} and {@code '.'} in the
     * base name become {@code '_'}, {@code [a][b][]} nest (empty brackets append), an unterminated first
     * bracket turns into {@code '_'} and a plain name, anything after a closing bracket that is not
     * {@code '['} is ignored.
     */
    static void register(ObjectNode root, String rawName, JsonNode value) {
        int skip = 0;
        while (skip < rawName.length() && rawName.charAt(skip) == ' ') {
            skip++;
        }
        String name = rawName.substring(skip);
        StringBuilder base = new StringBuilder();
        int i = 0;
        boolean isArray = false;
        for (; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ' ' || c == '.') {
                base.append('_');
            } else if (c == '[') {
                isArray = true;
                break;
            } else {
                base.append(c);
            }
        }
        List<String> indexes = new ArrayList<>(); // a null entry appends
        if (isArray) {
            int ip = i;
            boolean first = true;
            while (true) {
                int start = ip + 1;
                if (start < name.length() && " \r\n\t".indexOf(name.charAt(start)) >= 0) {
                    start++;
                }
                if (start < name.length() && name.charAt(start) == ']') {
                    indexes.add(null);
                    ip = start;
                } else {
                    int close = name.indexOf(']', start);
                    if (close < 0) {
                        if (first) {
                            base.append('_').append(name.substring(ip + 1).replaceAll("[ .\\[]", "_"));
                            indexes.clear();
                        }
                        break;
                    }
                    indexes.add(name.substring(start, close));
                    ip = close;
                }
                first = false;
                ip++;
                if (ip < name.length() && name.charAt(ip) == '[') {
                    continue;
                }
                break;
            }
        }
        if (base.length() == 0) {
            return;
        }
        ObjectNode current = root;
        String key = base.toString();
        for (String index : indexes) {
            JsonNode existing = current.get(key);
            ObjectNode child;
            if (existing instanceof ObjectNode) {
                child = (ObjectNode) existing;
            } else {
                child = NODES.objectNode();
                current.set(key, child);
            }
            current = child;
            key = index == null ? nextIndex(child) : index;
        }
        current.set(key, value);
    }

    private static String nextIndex(ObjectNode array) {
        long next = 0;
        Iterator<String> names = array.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.matches("-?(0|[1-9][0-9]{0,17})")) {
                next = Math.max(next, Long.parseLong(name) + 1);
            }
        }
        return Long.toString(next);
    }

    /** Whether the value is a PHP array (a JSON object or list). */
    static boolean isArray(JsonNode node) {
        return node != null && (node.isObject() || node.isArray());
    }

    /** PHP {@code isset}: present and not null. */
    static boolean isset(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    /** The values of a PHP array in order (a list or an object); none for a scalar. */
    static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (isArray(node)) {
            node.elements().forEachRemaining(values::add);
        }
        return values;
    }

    /** PHP's string conversion of a scalar: {@code true} is "1", {@code false} and {@code null} are "". */
    static String string(JsonNode node) {
        if (!isset(node)) {
            return "";
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "1" : "";
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
        }
        return "Array";
    }

    /** PHP's {@code intval}: a leading integer of a string, 1 for a non-empty array, 0 otherwise. */
    static long intval(JsonNode node) {
        if (!isset(node)) {
            return 0;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return (long) node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? 1 : 0;
        }
        if (isArray(node)) {
            return node.size() > 0 ? 1 : 0;
        }
        return intval(node.asText());
    }

    /** PHP's {@code intval} of a string: optional whitespace and sign, then digits; 0 when none. */
    static long intval(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        int digits = i;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && i - digits < 18) {
            i++;
        }
        if (i == digits) {
            return 0;
        }
        return Long.parseLong(text.substring(start, i).replace("+", ""));
    }

    /** PHP truthiness: "", "0", 0, empty arrays and null are false. */
    static boolean truthy(JsonNode node) {
        if (!isset(node)) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        if (isArray(node)) {
            return node.size() > 0;
        }
        String text = node.asText();
        return !text.isEmpty() && !text.equals("0");
    }

    /** Whether a string is a PHP integer-like numeric string (what {@code is_numeric} accepts for ids). */
    static boolean isNumeric(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isNumber()) {
            return true;
        }
        return node.isTextual() && node.textValue().strip().matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    }

    /**
     * {@code CCrmRestHelper::resolveParam}: {@code name} in lower case, upper case or capitalized, the
     * first one set wins.
     */
    static JsonNode resolveParam(JsonNode params, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : List.of(lower, name.toUpperCase(Locale.ROOT), capitalize(lower))) {
            JsonNode value = params.get(candidate);
            if (isset(value)) {
                return value;
            }
        }
        return null;
    }

    /**
     * {@code CCrmRestHelper::resolveArrayParam}: as {@link #resolveParam} (upper case first) plus the
     * Hungarian {@code arName} form.
     */
    static JsonNode resolveArrayParam(JsonNode params, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : List.of(name.toUpperCase(Locale.ROOT), lower, capitalize(lower), "ar" + capitalize(lower))) {
            JsonNode value = params.get(candidate);
            if (isset(value)) {
                return value;
            }
        }
        return null;
    }

    /**
     * {@code resolveMultiPartParam} for names like {@code entity_type}: {@code entity_type},
     * {@code ENTITY_TYPE}, {@code EntityType}, {@code arEntityType}.
     */
    static JsonNode resolveMultiPartParam(JsonNode params, String... parts) {
        String lower = String.join("_", parts).toLowerCase(Locale.ROOT);
        StringBuilder camel = new StringBuilder();
        for (String part : parts) {
            camel.append(capitalize(part.toLowerCase(Locale.ROOT)));
        }
        for (String candidate : List.of(lower, lower.toUpperCase(Locale.ROOT), camel.toString(), "ar" + camel)) {
            JsonNode value = params.get(candidate);
            if (isset(value)) {
                return value;
            }
        }
        return null;
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * How PHP's {@code json_encode} writes an array built under {@code keys}: {@code []} when empty, a
     * list when the keys are 0..n-1 in order, an object otherwise.
     */
    static JsonNode array(Map<String, JsonNode> entries) {
        boolean list = true;
        int expected = 0;
        for (String key : entries.keySet()) {
            if (!key.equals(Integer.toString(expected++))) {
                list = false;
                break;
            }
        }
        if (list) {
            ArrayNode array = NODES.arrayNode();
            entries.values().forEach(array::add);
            return array;
        }
        ObjectNode object = NODES.objectNode();
        entries.forEach(object::set);
        return object;
    }
}
