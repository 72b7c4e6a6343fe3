package org.jamescrm.emulator.bitrix24;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code filter}, {@code order} and {@code start} of legacy list methods (bitrix24-api §4, §7.2):
 * key prefixes {@code =} (default), {@code !}/{@code !=}, {@code >}, {@code >=}, {@code <}, {@code <=},
 * {@code @} (IN), {@code !@}, {@code %} (substring), {@code =%}/{@code %=} (LIKE pattern), {@code !%},
 * {@code !=%}, {@code !%=}, {@code ><} (between); an array value under {@code =} means IN; unknown fields
 * are ignored, as the portal's SQL builder does. Pages are 50 rows; {@code start} is rounded down to a
 * page ({@code iNumPage = intval(start / 50) + 1}, source {@code IRestService::getNavData}); a negative
 * {@code start} returns the first 50 rows with {@code total} 0 and no {@code next}.
 */
final class ListQuery {
    /** The fixed page size of every list method. */
    static final int PAGE = 50;

    private ListQuery() {
    }

    /** What a list knows about its rows: each field's kind and its values in a row. */
    interface Schema {
        /** The field's kind; empty for a field the list does not know (the condition is ignored). */
        Optional<FieldKind> kind(String field);

        /** The row's values of the field: one node (maybe null) or, for a multifield, every VALUE. */
        List<JsonNode> values(ObjectNode row, String field);
    }

    private enum Op {
        EQ, GT, GE, LT, LE, IN, LIKE, PATTERN, BETWEEN
    }

    /** A filter as one predicate over full rows (all fields, multifields and custom fields present). */
    static Predicate<ObjectNode> filter(JsonNode filter, Schema schema, PortalTime time) {
        List<Predicate<ObjectNode>> conditions = new ArrayList<>();
        if (Php.isArray(filter) && filter.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = filter.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                condition(entry.getKey(), entry.getValue(), schema, time).ifPresent(conditions::add);
            }
        }
        return row -> conditions.stream().allMatch(condition -> condition.test(row));
    }

    private static Optional<Predicate<ObjectNode>> condition(String rawKey, JsonNode value, Schema schema, PortalTime time) {
        String key = rawKey;
        boolean negate = false;
        if (key.startsWith("!")) {
            negate = true;
            key = key.substring(1);
        }
        if (key.startsWith("+")) {
            key = key.substring(1); // "null or": the emulator treats it as the plain operator
        }
        Op op = Op.EQ;
        for (Map.Entry<String, Op> prefix : List.of(Map.entry("><", Op.BETWEEN), Map.entry(">=", Op.GE), Map.entry("<=", Op.LE),
            Map.entry("=%", Op.PATTERN), Map.entry("%=", Op.PATTERN), Map.entry(">", Op.GT), Map.entry("<", Op.LT),
            Map.entry("@", Op.IN), Map.entry("%", Op.LIKE), Map.entry("=", Op.EQ))) {
            if (key.startsWith(prefix.getKey())) {
                op = prefix.getValue();
                key = key.substring(prefix.getKey().length());
                break;
            }
        }
        String field = key;
        Optional<FieldKind> kind = schema.kind(field);
        if (kind.isEmpty() || kind.get() == FieldKind.OBJECT) {
            return Optional.empty();
        }
        List<JsonNode> wanted = Php.isArray(value) ? Php.elements(value) : List.of(value);
        Op operator = op;
        boolean negated = negate;
        FieldKind fieldKind = kind.get();
        return Optional.of(row -> negated != matches(operator, fieldKind, schema.values(row, field), wanted, time));
    }

    private static boolean matches(Op op, FieldKind kind, List<JsonNode> have, List<JsonNode> wanted, PortalTime time) {
        switch (op) {
            case EQ:
            case IN:
                return wanted.stream().anyMatch(want -> isEmpty(want)
                    ? have.stream().allMatch(ListQuery::isEmpty)
                    : have.stream().anyMatch(value -> compare(kind, value, want, time).orElse(1) == 0));
            case GT:
                return !wanted.isEmpty() && have.stream().anyMatch(value -> compare(kind, value, wanted.get(0), time).orElse(0) > 0);
            case GE:
                return !wanted.isEmpty() && have.stream().anyMatch(value -> compare(kind, value, wanted.get(0), time).orElse(-1) >= 0);
            case LT:
                return !wanted.isEmpty() && have.stream().anyMatch(value -> compare(kind, value, wanted.get(0), time).orElse(0) < 0);
            case LE:
                return !wanted.isEmpty() && have.stream().anyMatch(value -> compare(kind, value, wanted.get(0), time).orElse(1) <= 0);
            case BETWEEN:
                return wanted.size() >= 2 && have.stream().anyMatch(value -> compare(kind, value, wanted.get(0), time).orElse(-1) >= 0
                    && compare(kind, value, wanted.get(1), time).orElse(1) <= 0);
            case LIKE:
                return wanted.stream().anyMatch(want -> have.stream().filter(value -> !isEmpty(value))
                    .anyMatch(value -> text(value).toLowerCase(Locale.ROOT).contains(Php.string(want).toLowerCase(Locale.ROOT))));
            case PATTERN:
                return wanted.stream().anyMatch(want -> {
                    Pattern pattern = likePattern(Php.string(want));
                    return have.stream().filter(value -> !isEmpty(value)).anyMatch(value -> pattern.matcher(text(value)).matches());
                });
            default:
                throw new IllegalStateException(op.name());
        }
    }

    /** SQL LIKE ({@code %} any run, {@code _} one character), case-insensitive like a {@code _ci} collation. */
    private static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder();
        for (char c : like.toCharArray()) {
            if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    static boolean isEmpty(JsonNode value) {
        return !Php.isset(value) || (value.isTextual() && value.textValue().isEmpty())
            || (value.isBoolean() && !value.booleanValue()) || (Php.isArray(value) && value.size() == 0);
    }

    private static String text(JsonNode value) {
        return Php.string(value);
    }

    /**
     * Compares a stored value with a filter value under the field's kind; empty when they cannot be
     * compared (a missing value, an unparseable date), which never matches.
     */
    static Optional<Integer> compare(FieldKind kind, JsonNode have, JsonNode want, PortalTime time) {
        if (!Php.isset(have) || !Php.isset(want)) {
            return Optional.empty();
        }
        switch (kind) {
            case INT:
                if (have.isTextual() && have.textValue().isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(Long.compare(Php.intval(have), Php.intval(want)));
            case MONEY:
                try {
                    return Optional.of(new BigDecimal(text(have).strip()).compareTo(new BigDecimal(text(want).strip())));
                } catch (NumberFormatException notANumber) {
                    return Optional.empty();
                }
            case DATETIME:
            case DATE:
                Optional<Instant> stored = time.parse(text(have));
                Optional<Instant> wantedTime = time.parse(text(want));
                if (stored.isEmpty() || wantedTime.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(stored.get().compareTo(wantedTime.get()));
            case BOOLEAN:
                return Optional.of(Boolean.compare(have.asBoolean(), booleanFilter(want)));
            case INT_LIST:
                for (JsonNode element : Php.elements(have)) {
                    if (Php.intval(element) == Php.intval(want)) {
                        return Optional.of(0);
                    }
                }
                return Optional.of(1);
            default:
                return Optional.of(Integer.signum(text(have).compareToIgnoreCase(text(want))));
        }
    }

    /** A boolean filter value: {@code true}, "Y", "true", "1" mean yes; everything else no. */
    static boolean booleanFilter(JsonNode want) {
        if (want.isBoolean()) {
            return want.booleanValue();
        }
        String text = Php.string(want).strip();
        return text.equalsIgnoreCase("Y") || text.equalsIgnoreCase("true") || text.equals("1");
    }

    /**
     * The {@code order} map as a comparator (unknown fields ignored, anything but DESC ascending, nulls
     * first as MySQL sorts them), then {@code tieBreak} so pages are stable.
     */
    static Comparator<ObjectNode> order(JsonNode order, Schema schema, PortalTime time, Comparator<ObjectNode> tieBreak) {
        Comparator<ObjectNode> comparator = (a, b) -> 0;
        if (Php.isArray(order) && order.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = order.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                String field = entry.getKey().toUpperCase(Locale.ROOT);
                Optional<FieldKind> kind = schema.kind(field);
                if (kind.isEmpty() || kind.get() == FieldKind.OBJECT || kind.get() == FieldKind.MULTI) {
                    continue;
                }
                boolean descending = Php.string(entry.getValue()).strip().equalsIgnoreCase("DESC");
                FieldKind fieldKind = kind.get();
                Comparator<ObjectNode> byField = (a, b) -> {
                    JsonNode left = first(schema.values(a, field));
                    JsonNode right = first(schema.values(b, field));
                    boolean leftEmpty = isEmpty(left);
                    boolean rightEmpty = isEmpty(right);
                    if (leftEmpty || rightEmpty) {
                        return Boolean.compare(!leftEmpty, !rightEmpty);
                    }
                    return compare(fieldKind, left, right, time).orElse(0);
                };
                comparator = comparator.thenComparing(descending ? byField.reversed() : byField);
            }
        }
        return comparator.thenComparing(tieBreak);
    }

    private static JsonNode first(List<JsonNode> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    /** One page of rows with the {@code total} and {@code next} the REST server lifts into the envelope. */
    record Page(List<ObjectNode> rows, OptionalInt total, OptionalInt next) {
    }

    /** The page {@code start} asks for (see the class comment). */
    static Page page(List<ObjectNode> all, long start) {
        if (start < 0) {
            return new Page(List.copyOf(all.subList(0, Math.min(PAGE, all.size()))), OptionalInt.of(0), OptionalInt.empty());
        }
        long offset = start / PAGE * PAGE;
        List<ObjectNode> rows = offset >= all.size() ? List.of() : List.copyOf(all.subList((int) offset, (int) Math.min(all.size(), offset + PAGE)));
        OptionalInt next = offset + PAGE < all.size() ? OptionalInt.of((int) offset + PAGE) : OptionalInt.empty();
        return new Page(rows, OptionalInt.of(all.size()), next);
    }
}
