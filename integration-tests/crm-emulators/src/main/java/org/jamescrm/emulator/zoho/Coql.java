package org.jamescrm.emulator.zoho;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.jamescrm.emulator.zoho.ZohoReply.Refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The subset of COQL the emulator understands: {@code select f1, f2 from Module where <condition>
 * limit n [offset m]} (or {@code limit m, n}); conditions of {@code =}, {@code !=}, {@code in},
 * {@code not in}, {@code is null}, {@code is not null}, joined by {@code and}, {@code or} and
 * parentheses; string literals quoted with {@code '} and {@code \'} escaped. A lookup field compares
 * by its id. As Zoho: the {@code where} clause is mandatory, {@code limit} at most 2000, exact and
 * immediate (no index delay); text compared case-insensitively.
 */
final class Coql {
    static final int MAX_LIMIT = 2000;

    final List<String> fields;
    final String module;
    final Predicate<ObjectNode> where;
    final int limit;
    final int offset;

    private final List<String> tokens;
    private int at;

    private Coql(String query) {
        this.tokens = tokenize(query);
        expect("select");
        List<String> selected = new ArrayList<>();
        do {
            selected.add(next());
        } while (accept(","));
        this.fields = List.copyOf(selected);
        expect("from");
        this.module = next();
        if (!accept("where")) {
            throw invalid("the where clause is mandatory");
        }
        this.where = or();
        int limitValue = 200;
        int offsetValue = 0;
        if (accept("limit")) {
            limitValue = number(next());
            if (accept(",")) {
                offsetValue = limitValue;
                limitValue = number(next());
            } else if (accept("offset")) {
                offsetValue = number(next());
            }
        }
        if (at < tokens.size()) {
            throw invalid("unexpected '" + tokens.get(at) + "'");
        }
        if (limitValue < 1 || limitValue > MAX_LIMIT) {
            throw invalid("limit must be between 1 and " + MAX_LIMIT);
        }
        this.limit = limitValue;
        this.offset = offsetValue;
    }

    static Coql parse(String query) {
        return new Coql(query);
    }

    private Predicate<ObjectNode> or() {
        Predicate<ObjectNode> left = and();
        while (accept("or")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<ObjectNode> and() {
        Predicate<ObjectNode> left = primary();
        while (accept("and")) {
            left = left.and(primary());
        }
        return left;
    }

    private Predicate<ObjectNode> primary() {
        if (accept("(")) {
            Predicate<ObjectNode> inner = or();
            expect(")");
            return inner;
        }
        String field = next();
        if (accept("is")) {
            boolean not = accept("not");
            expect("null");
            return record -> blank(value(record, field)) != not;
        }
        boolean not = accept("not");
        if (accept("in")) {
            expect("(");
            List<String> values = new ArrayList<>();
            do {
                values.add(literal(next()));
            } while (accept(","));
            expect(")");
            if (values.size() > 50) {
                throw invalid("at most 50 values in an in clause");
            }
            return record -> values.stream().anyMatch(value -> same(value(record, field), value)) != not;
        }
        if (not) {
            throw invalid("expected 'in' after 'not'");
        }
        if (accept("=")) {
            String value = literal(next());
            return record -> same(value(record, field), value);
        }
        if (accept("!=")) {
            String value = literal(next());
            return record -> !same(value(record, field), value);
        }
        throw invalid("unsupported operator after " + field);
    }

    /** A field's value as COQL compares it: a lookup by its id. */
    static String value(ObjectNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isObject()) {
            return value.path("id").asText("");
        }
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static boolean blank(String value) {
        return value.isEmpty();
    }

    private static boolean same(String actual, String value) {
        return actual.equalsIgnoreCase(value);
    }

    private String literal(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1);
        }
        if (token.equalsIgnoreCase("true") || token.equalsIgnoreCase("false")) {
            return token.toLowerCase(Locale.ROOT);
        }
        if (token.matches("-?\\d+(\\.\\d+)?")) {
            return token;
        }
        throw invalid("expected a value, got '" + token + "'");
    }

    private int number(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw invalid("expected a number, got '" + token + "'");
        }
    }

    private String next() {
        if (at >= tokens.size()) {
            throw invalid("the query ends too soon");
        }
        return tokens.get(at++);
    }

    private boolean accept(String word) {
        if (at < tokens.size() && tokens.get(at).equalsIgnoreCase(word)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String word) {
        if (!accept(word)) {
            throw invalid("expected '" + word + "'" + (at < tokens.size() ? " at '" + tokens.get(at) + "'" : ""));
        }
    }

    static Refusal invalid(String why) {
        return new Refusal(400, "SYNTAX_ERROR", "error occured while parsing the query: " + why);
    }

    /** Words, punctuation and quoted literals (kept with their quotes, escapes resolved). */
    private static List<String> tokenize(String query) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder literal = new StringBuilder("'");
                i++;
                while (i < query.length() && query.charAt(i) != '\'') {
                    if (query.charAt(i) == '\\' && i + 1 < query.length()) {
                        i++;
                    }
                    literal.append(query.charAt(i++));
                }
                if (i >= query.length()) {
                    throw invalid("a quote is not closed");
                }
                i++;
                tokens.add(literal.append('\'').toString());
            } else if (c == '(' || c == ')' || c == ',' || c == '=') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '!' && i + 1 < query.length() && query.charAt(i + 1) == '=') {
                tokens.add("!=");
                i += 2;
            } else {
                int start = i;
                while (i < query.length() && !Character.isWhitespace(query.charAt(i)) && "(),='!".indexOf(query.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(query.substring(start, i));
            }
        }
        return tokens;
    }
}
