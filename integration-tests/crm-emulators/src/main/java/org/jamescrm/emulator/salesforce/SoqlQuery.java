package org.jamescrm.emulator.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The SOQL subset the connector emits, parsed strictly (salesforce §1.11): {@code SELECT a, B.c FROM Object
 * [WHERE …] [ORDER BY f [ASC|DESC], …] [LIMIT n]}, the condition made of {@code =}, {@code !=}, {@code IN (…)},
 * {@code NOT IN (…)}, {@code AND}, {@code OR}, {@code NOT} and parentheses, over fields and parent fields
 * ({@code Opportunity.IsClosed}). String literals take SOQL's escapes ({@code \'}, {@code \\}, {@code \n} …); any
 * other backslash, or anything else, is {@code MALFORMED_QUERY}. String comparison ignores case, as Salesforce's does.
 */
final class SoqlQuery {
    /** A field of a record, or a parent's ({@code Account.OwnerId}); missing as {@link com.fasterxml.jackson.databind.node.MissingNode}. */
    interface Fields extends Function<String, JsonNode> {
    }

    /** The query could not be parsed: Salesforce's {@code MALFORMED_QUERY}. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** A condition on a record. */
    interface Condition {
        boolean test(Fields record);
    }

    private final List<String> select;
    private final String from;
    private final Condition where;
    private final List<String> orderBy;
    private final List<Boolean> descending;
    private final int limit;
    private final List<String> conditionFields;

    private SoqlQuery(List<String> select, String from, Condition where, List<String> orderBy, List<Boolean> descending, int limit,
                      List<String> conditionFields) {
        this.conditionFields = List.copyOf(conditionFields);
        this.select = List.copyOf(select);
        this.from = from;
        this.where = where;
        this.orderBy = List.copyOf(orderBy);
        this.descending = List.copyOf(descending);
        this.limit = limit;
    }

    List<String> select() {
        return select;
    }

    /** The fields the condition and the order read. */
    List<String> conditionFields() {
        return conditionFields;
    }

    String from() {
        return from;
    }

    boolean matches(Fields record) {
        return where == null || where.test(record);
    }

    int limit() {
        return limit;
    }

    /** {@code records} ordered as asked. */
    <T> List<T> order(List<T> records, Function<T, Fields> fields) {
        List<T> sorted = new ArrayList<>(records);
        Comparator<T> order = null;
        for (int i = 0; i < orderBy.size(); i++) {
            String field = orderBy.get(i);
            Comparator<T> one = Comparator.comparing(record -> fields.apply(record).apply(field).asText(""));
            if (descending.get(i)) {
                one = one.reversed();
            }
            order = order == null ? one : order.thenComparing(one);
        }
        if (order != null) {
            sorted.sort(order);
        }
        return sorted;
    }

    /** Parses {@code text}. */
    static SoqlQuery parse(String text) {
        return new Parser(tokens(text)).query();
    }

    // ---- tokens ----

    private record Token(String kind, String text) {
        boolean is(String word) {
            return (kind.equals("word") || kind.equals("symbol")) && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new Malformed("unterminated string literal");
                    }
                    char d = text.charAt(i);
                    if (d == '\'') {
                        i++;
                        break;
                    }
                    if (d == '\\') {
                        if (i + 1 >= text.length()) {
                            throw new Malformed("a backslash ends the query");
                        }
                        char e = text.charAt(i + 1);
                        switch (e) {
                            case '\'', '\\', '"' -> value.append(e);
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 't' -> value.append('\t');
                            case 'b' -> value.append('\b');
                            case 'f' -> value.append('\f');
                            case 'u' -> {
                                if (i + 6 > text.length()) {
                                    throw new Malformed("invalid unicode escape");
                                }
                                value.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                                i += 4;
                            }
                            default -> throw new Malformed("Invalid string literal: backslash before '" + e + "'");
                        }
                        i += 2;
                        continue;
                    }
                    value.append(d);
                    i++;
                }
                tokens.add(new Token("string", value.toString()));
            } else if (c == '(' || c == ')' || c == ',' || c == '=') {
                tokens.add(new Token("symbol", String.valueOf(c)));
                i++;
            } else if (c == '!' && i + 1 < text.length() && text.charAt(i + 1) == '=') {
                tokens.add(new Token("symbol", "!="));
                i += 2;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ':' || c == '.') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "_.-:".indexOf(text.charAt(i)) >= 0)) {
                    i++;
                }
                tokens.add(new Token("word", text.substring(start, i)));
            } else {
                throw new Malformed("unexpected character '" + c + "'");
            }
        }
        return tokens;
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final List<String> referenced = new ArrayList<>();
        private int at;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        SoqlQuery query() {
            expect("SELECT");
            List<String> fields = new ArrayList<>();
            do {
                fields.add(field());
            } while (accept(","));
            expect("FROM");
            String from = field();
            Condition where = null;
            if (accept("WHERE")) {
                where = or();
            }
            List<String> order = new ArrayList<>();
            List<Boolean> descending = new ArrayList<>();
            if (accept("ORDER")) {
                expect("BY");
                do {
                    order.add(field());
                    boolean down = accept("DESC");
                    if (!down) {
                        accept("ASC");
                    }
                    descending.add(down);
                } while (accept(","));
            }
            int limit = Integer.MAX_VALUE;
            if (accept("LIMIT")) {
                Token number = next();
                try {
                    limit = Integer.parseInt(number.text());
                } catch (NumberFormatException e) {
                    throw new Malformed("LIMIT takes a number, not " + number.text());
                }
            }
            if (at < tokens.size()) {
                throw new Malformed("unexpected token: " + tokens.get(at).text());
            }
            List<String> read = new ArrayList<>(referenced.subList(fields.size() + 1, referenced.size()));
            return new SoqlQuery(fields, from, where, order, descending, limit, read);
        }

        private Condition or() {
            Condition left = and();
            while (accept("OR")) {
                Condition one = left;
                Condition other = and();
                left = record -> one.test(record) || other.test(record);
            }
            return left;
        }

        private Condition and() {
            Condition left = factor();
            while (accept("AND")) {
                Condition one = left;
                Condition other = factor();
                left = record -> one.test(record) && other.test(record);
            }
            return left;
        }

        private Condition factor() {
            if (accept("(")) {
                Condition inner = or();
                expect(")");
                return inner;
            }
            if (accept("NOT")) {
                Condition inner = factor();
                return record -> !inner.test(record);
            }
            String field = field();
            if (accept("=")) {
                Object value = literal();
                return record -> same(record.apply(field), value);
            }
            if (accept("!=")) {
                Object value = literal();
                return record -> !same(record.apply(field), value);
            }
            boolean not = accept("NOT");
            expect("IN");
            expect("(");
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (accept(","));
            expect(")");
            if (values.stream().allMatch(String.class::isInstance)) {
                // a set of the lower-cased strings: a round's IN list holds hundreds of addresses
                java.util.Set<String> lower = new java.util.HashSet<>();
                values.forEach(value -> lower.add(((String) value).toLowerCase(Locale.ROOT)));
                return record -> {
                    JsonNode actual = record.apply(field);
                    return not != (actual != null && actual.isTextual() && lower.contains(actual.asText().toLowerCase(Locale.ROOT)));
                };
            }
            return record -> not != values.stream().anyMatch(value -> same(record.apply(field), value));
        }

        private Object literal() {
            Token token = next();
            if (token.kind().equals("string")) {
                return token.text();
            }
            if (token.is("true") || token.is("false")) {
                return Boolean.valueOf(token.text().toLowerCase(Locale.ROOT));
            }
            if (token.is("null")) {
                return null;
            }
            if (token.text().matches("-?\\d+(\\.\\d+)?")) {
                return Double.valueOf(token.text());
            }
            throw new Malformed("unexpected value: " + token.text() + " (strings are quoted with ')");
        }

        private String field() {
            Token token = next();
            if (!token.kind().equals("word") || !token.text().matches("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?")) {
                throw new Malformed("a field name was expected, not " + token.text());
            }
            referenced.add(token.text());
            return token.text();
        }

        private Token next() {
            if (at >= tokens.size()) {
                throw new Malformed("the query ends too early");
            }
            return tokens.get(at++);
        }

        private boolean accept(String word) {
            if (at < tokens.size() && tokens.get(at).is(word)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(String word) {
            if (!accept(word)) {
                throw new Malformed("expected " + word + (at < tokens.size() ? " at '" + tokens.get(at).text() + "'" : " at the end"));
            }
        }
    }

    private static boolean same(JsonNode actual, Object value) {
        if (value == null) {
            return actual == null || actual.isNull() || actual.isMissingNode();
        }
        if (actual == null || actual.isNull() || actual.isMissingNode()) {
            return false;
        }
        if (value instanceof Boolean bool) {
            return actual.isBoolean() && actual.asBoolean() == bool;
        }
        if (value instanceof Double number) {
            return actual.isNumber() && actual.asDouble() == number;
        }
        return actual.isTextual() && actual.asText().equalsIgnoreCase(Objects.toString(value));
    }
}
