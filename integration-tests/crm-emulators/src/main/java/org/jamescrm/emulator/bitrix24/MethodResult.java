package org.jamescrm.emulator.bitrix24;

import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a method returns before the REST server wraps it: the {@code result}, and for list methods
 * the {@code total} and {@code next} the server lifts to the top of the envelope (bitrix24-api §2.1).
 */
record MethodResult(JsonNode result, OptionalInt total, OptionalInt next) {

    static MethodResult of(JsonNode result) {
        return new MethodResult(result, OptionalInt.empty(), OptionalInt.empty());
    }
}
