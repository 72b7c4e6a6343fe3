package org.jamescrm.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SOQL text the connector sends (salesforce §1.2): string literals quoted with {@code \\} and {@code \'} escaped
 * (an e-mail local part may hold a quote), {@code IN} lists cut to {@value #IN_VALUES} values and about
 * {@value #IN_CHARACTERS} characters, so that each query stays far below SOQL's length limit and the URL of its
 * Composite sub-request short.
 */
final class Soql {
    /** Values of one {@code IN} list. */
    static final int IN_VALUES = 200;
    /** Characters of one {@code IN} list. */
    static final int IN_CHARACTERS = 8_000;

    private Soql() {
    }

    /** A SOQL string literal. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The {@code IN} lists of {@code values}, e.g. {@code ('a','b')}, each within the limits. */
    static List<String> inLists(Collection<String> values) {
        List<String> lists = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int characters = 0;
        for (String value : new LinkedHashSet<>(values)) {
            String literal = quote(value);
            if (!current.isEmpty() && (current.size() == IN_VALUES || characters + literal.length() + 1 > IN_CHARACTERS)) {
                lists.add("(" + String.join(",", current) + ")");
                current = new ArrayList<>();
                characters = 0;
            }
            current.add(literal);
            characters += literal.length() + 1;
        }
        if (!current.isEmpty()) {
            lists.add("(" + String.join(",", current) + ")");
        }
        return lists;
    }

    /**
     * The queries {@code SELECT select FROM sobject WHERE (f1 IN (…) OR f2 IN (…)) AND also} reading every record whose
     * field is one of its values, as few as the {@code IN} limits allow; none when no field has a value.
     *
     * @param anyOf the values of each field, by field
     * @param also  a further condition every record must meet, empty for none
     */
    static List<String> selectWhereAny(String select, String sobject, Map<String, ? extends Collection<String>> anyOf, String also) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        anyOf.forEach((field, values) -> lists.put(field, inLists(values)));
        int rounds = lists.values().stream().mapToInt(List::size).max().orElse(0);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            int index = i;
            String any = lists.entrySet().stream().filter(entry -> index < entry.getValue().size())
                .map(entry -> entry.getKey() + " IN " + entry.getValue().get(index)).collect(Collectors.joining(" OR "));
            String where = also.isEmpty() ? any : (any.contains(" OR ") ? "(" + any + ")" : any) + " AND " + also;
            queries.add("SELECT " + select + " FROM " + sobject + " WHERE " + where);
        }
        return queries;
    }
}
