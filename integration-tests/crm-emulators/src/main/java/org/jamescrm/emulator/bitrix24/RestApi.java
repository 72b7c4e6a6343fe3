package org.jamescrm.emulator.bitrix24;

import static org.jamescrm.emulator.bitrix24.Php.NODES;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The portal's REST server behind authentication and the rate limit ({@code CRestServer},
 * {@code CRestProvider::methodsBatch}): it takes {@code start} off the parameters, enforces the
 * per-method operating budget, runs the method and wraps it in the envelope ({@code result},
 * {@code total}, {@code next}, {@code time}), and runs {@code batch} with {@code $result[...]}
 * references and {@code halt} exactly as the portal's source does (bitrix24-api §2, §3.2, §5). The
 * caller holds the emulator's lock.
 */
final class RestApi {
    /** The maximum number of commands of a batch ({@code CRestUtil::BATCH_MAX_LENGTH}). */
    static final int BATCH_MAX_LENGTH = 50;
    /** A reference to an earlier command, as {@code CRestUtil::processBatchElement} matches it. */
    private static final Pattern REFERENCE = Pattern.compile("\\$(result|next|total|time|error)([^\\s]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PATH_KEY = Pattern.compile("\\[([^\\]]+)\\]");

    private final Portal portal;
    private final OperatingBudget budget;
    private final PortalTime time;
    private final Duration methodCost;

    RestApi(Portal portal, OperatingBudget budget, PortalTime time, Duration methodCost) {
        this.portal = portal;
        this.budget = budget;
        this.time = time;
        this.methodCost = methodCost;
    }

    /** Whether the method exists (lower-case name). */
    boolean knows(String method) {
        return method.equals("batch") || portal.knows(method);
    }

    /**
     * Runs one method and returns its envelope; a failure is thrown as {@link RestError}.
     *
     * @param enforceLimits false for the emulator's in-process calls (no operating budget)
     */
    ObjectNode call(String method, ObjectNode params, Caller caller, boolean enforceLimits) {
        Instant start = time.now();
        params.remove("state");
        if (method.equals("batch")) {
            params.remove("start");
            ObjectNode envelope = NODES.objectNode();
            envelope.set("result", batch(params, caller, enforceLimits));
            // the outer batch is not counted against any budget (bitrix24-api §3.2)
            envelope.set("time", timeBlock(start, caller.credential(), method, false));
            return envelope;
        }
        MethodResult result = runMethod(method, params, caller, enforceLimits, start);
        ObjectNode envelope = NODES.objectNode();
        envelope.set("result", result.result());
        result.next().ifPresent(next -> envelope.put("next", next));
        result.total().ifPresent(total -> envelope.put("total", total));
        envelope.set("time", timeBlock(start, caller.credential(), method, enforceLimits));
        return envelope;
    }

    /** One method with its budget: refused when blocked, charged afterwards whether it failed or not. */
    private MethodResult runMethod(String method, ObjectNode params, Caller caller, boolean enforceLimits, Instant start) {
        if (enforceLimits && budget.blocked(caller.credential(), method, start)) {
            throw operationTimeLimit(caller.credential(), method, start);
        }
        long startParam = 0;
        JsonNode startNode = params.remove("start");
        if (startNode != null) {
            startParam = Php.intval(startNode);
        }
        try {
            return portal.invoke(method, params, startParam, caller);
        } finally {
            if (enforceLimits) {
                budget.spend(caller.credential(), method, start, methodCost);
            }
        }
    }

    /** 429 {@code OPERATION_TIME_LIMIT} with the time the method is released. */
    RestError operationTimeLimit(String credential, String method, Instant now) {
        long resetAt = budget.resetAt(credential, method, now);
        ObjectNode additional = NODES.objectNode();
        additional.put("operating_reset_at", resetAt);
        ObjectNode timeBlock = timeBlock(now, credential, method, false);
        timeBlock.put("operating", BigDecimal.valueOf(budget.seconds(credential, method, now)));
        timeBlock.put("operating_reset_at", resetAt);
        additional.set("time", timeBlock);
        return new RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", additional);
    }

    /** The {@code time} block: virtual processing of one method cost, the operating seconds of the method. */
    ObjectNode timeBlock(Instant start, String credential, String method, boolean counted) {
        Duration processing = counted ? methodCost : Duration.ZERO;
        Instant finish = start.plus(processing);
        BigDecimal seconds = BigDecimal.valueOf(processing.toNanos(), 9).stripTrailingZeros();
        ObjectNode block = NODES.objectNode();
        block.put("start", PortalTime.unix(start));
        block.put("finish", PortalTime.unix(finish));
        block.put("duration", seconds);
        block.put("processing", seconds);
        block.put("date_start", time.format(start));
        block.put("date_finish", time.format(finish));
        block.put("operating_reset_at", budget.resetAt(credential, method, start));
        block.put("operating", BigDecimal.valueOf(counted ? budget.seconds(credential, method, start) : 0.0));
        return block;
    }

    // ------------------------------------------------------------------ batch

    /**
     * {@code batch}: commands run in order; each is {@code method?query} parsed with {@code parse_str},
     * its values searched for {@code $result[cmd][...]} (also {@code $next}, {@code $total}, {@code $time},
     * {@code $error}); a failing command lands in {@code result_error} and, with {@code halt}, stops the
     * chain; commands after the 50th fail with {@code ERROR_BATCH_LENGTH_EXCEEDED}; non-string commands
     * are skipped; a nested batch is refused.
     */
    private JsonNode batch(ObjectNode params, Caller caller, boolean enforceLimits) {
        JsonNode commands = null;
        JsonNode halt = null;
        Iterator<Map.Entry<String, JsonNode>> entries = params.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey().toUpperCase(Locale.ROOT);
            if (key.equals("CMD")) {
                commands = entry.getValue();
            } else if (key.equals("HALT")) {
                halt = entry.getValue();
            }
        }
        boolean haltOnError = Php.truthy(halt);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        Map<String, JsonNode> nexts = new LinkedHashMap<>();
        Map<String, JsonNode> totals = new LinkedHashMap<>();
        Map<String, JsonNode> times = new LinkedHashMap<>();
        Map<String, JsonNode> errors = new LinkedHashMap<>();
        ObjectNode references = NODES.objectNode();
        ObjectNode resultRefs = references.putObject("result");
        ObjectNode nextRefs = references.putObject("next");
        ObjectNode totalRefs = references.putObject("total");
        ObjectNode timeRefs = references.putObject("time");
        ObjectNode errorRefs = references.putObject("error");
        int count = 0;
        for (Map.Entry<String, JsonNode> command : commandsOf(commands)) {
            String id = command.getKey();
            count++;
            if (count <= BATCH_MAX_LENGTH) {
                if (!command.getValue().isTextual()) {
                    continue;
                }
                String call = command.getValue().textValue();
                int fragment = call.indexOf('#');
                if (fragment >= 0) {
                    call = call.substring(0, fragment);
                }
                int question = call.indexOf('?');
                String method = (question < 0 ? call : call.substring(0, question)).strip().toLowerCase(Locale.ROOT);
                JsonNode commandParams = substitute(Php.parseStr(question < 0 ? "" : call.substring(question + 1)), references);
                Instant start = time.now();
                try {
                    if (method.equals("batch")) {
                        throw new RestError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
                    }
                    if (!portal.knows(method)) {
                        throw RestError.methodNotFound();
                    }
                    MethodResult result = runMethod(method, (ObjectNode) commandParams, caller, enforceLimits, start);
                    results.put(id, result.result());
                    resultRefs.set(id, result.result());
                    result.next().ifPresent(next -> {
                        nexts.put(id, NODES.numberNode(next));
                        nextRefs.put(id, next);
                    });
                    result.total().ifPresent(total -> {
                        totals.put(id, NODES.numberNode(total));
                        totalRefs.put(id, total);
                    });
                    ObjectNode timeBlock = timeBlock(start, caller.credential(), method, enforceLimits);
                    times.put(id, timeBlock);
                    timeRefs.set(id, timeBlock);
                } catch (RestError error) {
                    ObjectNode body = NODES.objectNode();
                    body.put("error", error.code());
                    body.put("error_description", error.description());
                    errors.put(id, body);
                    errorRefs.set(id, body);
                }
            } else {
                ObjectNode body = NODES.objectNode();
                body.put("error", "ERROR_BATCH_LENGTH_EXCEEDED");
                body.put("error_description", "Max batch length exceeded");
                errors.put(id, body);
                errorRefs.set(id, body);
            }
            if (errors.containsKey(id) && haltOnError) {
                break;
            }
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("result", Php.array(results));
        answer.set("result_error", Php.array(errors));
        answer.set("result_total", Php.array(totals));
        answer.set("result_next", Php.array(nexts));
        answer.set("result_time", Php.array(times));
        return answer;
    }

    /** The commands of {@code cmd} with their ids (a JSON list gives "0", "1", ...); none when not an array. */
    static List<Map.Entry<String, JsonNode>> commandsOf(JsonNode commands) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        if (commands == null) {
            return list;
        }
        if (commands.isArray()) {
            for (int i = 0; i < commands.size(); i++) {
                list.add(Map.entry(Integer.toString(i), commands.get(i)));
            }
        } else if (commands.isObject()) {
            commands.fields().forEachRemaining(entry -> list.add(Map.entry(entry.getKey(), entry.getValue())));
        }
        return list;
    }

    /** {@code processBatchStructure}: references are resolved in every value (keys are left alone). */
    private static JsonNode substitute(JsonNode node, ObjectNode references) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.fields().forEachRemaining(entry -> copy.set(entry.getKey(), substitute(entry.getValue(), references)));
            return copy;
        }
        if (node.isTextual()) {
            return resolve(node.textValue(), references);
        }
        return node;
    }

    /**
     * {@code processBatchElement}: each {@code $name[a][b]} walks the earlier results as far as the keys
     * exist (a missing key stops the walk where it is); a value that is exactly one reference becomes
     * the referenced value itself (number, list, object...), otherwise a numeric or string value is
     * spliced into the text and anything else leaves the reference as written.
     */
    static JsonNode resolve(String text, ObjectNode references) {
        Matcher matcher = REFERENCE.matcher(text);
        List<String[]> matches = new ArrayList<>();
        while (matcher.find()) {
            matches.add(new String[] {matcher.group(0), matcher.group(1), matcher.group(2)});
        }
        JsonNode current = NODES.textNode(text);
        for (String[] match : matches) {
            Matcher keys = PATH_KEY.matcher(match[2]);
            List<String> path = new ArrayList<>();
            while (keys.find()) {
                path.add(keys.group(1));
            }
            if (path.isEmpty()) {
                continue;
            }
            JsonNode value = references.get(match[1]); // the group name is looked up as written: $RESULT finds nothing
            for (String key : path) {
                JsonNode child = child(value, key);
                if (child == null) {
                    break;
                }
                value = child;
            }
            if (current.isTextual() && match[0].equals(current.textValue())) {
                current = value == null ? NODES.nullNode() : value;
            } else if (current.isTextual() && value != null && (value.isNumber() || value.isTextual())) {
                current = NODES.textNode(current.textValue().replace(match[0], Php.string(value)));
            }
        }
        return current;
    }

    private static JsonNode child(JsonNode value, String key) {
        if (value == null) {
            return null;
        }
        JsonNode child = null;
        if (value.isObject()) {
            child = value.get(key);
        } else if (value.isArray() && key.matches("0|[1-9][0-9]{0,8}")) {
            child = value.get(Integer.parseInt(key));
        } else if (value.isTextual() && key.matches("0|[1-9][0-9]{0,8}") && Integer.parseInt(key) < value.textValue().length()) {
            child = NODES.textNode(String.valueOf(value.textValue().charAt(Integer.parseInt(key))));
        }
        return Php.isset(child) ? child : null;
    }
}
