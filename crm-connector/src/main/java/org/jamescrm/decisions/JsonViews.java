package org.jamescrm.decisions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes the product's JSON views (decision records, the in-memory CRM) with one configured mapper.
 * The views are explicit maps, so the JSON contract of the WebAdmin routes is written down in one
 * place instead of following the Java field names.
 */
public final class JsonViews {
    /** The most characters of a text taken from a request that a view shows. */
    public static final int EXCERPT = 200;

    private final ObjectMapper mapper;
    private final ObjectMapper safeMapper;

    /** Views written on one line each, as a log line or a stored record needs them. */
    public JsonViews() {
        this(false);
    }

    private JsonViews(boolean indented) {
        mapper = mapper(indented);
        safeMapper = mapper(indented);
        safeMapper.getFactory().setCharacterEscapes(new MarkupEscapes());
        safeMapper.getFactory().configure(com.fasterxml.jackson.core.JsonGenerator.Feature.ESCAPE_NON_ASCII, true);
    }

    /**
     * The same views indented, one field a line ({@code "key": value}), for a person reading an HTTP
     * answer in a terminal; never for the decision log, whose records are one line each.
     */
    public JsonViews indented() {
        return new JsonViews(true);
    }

    private static ObjectMapper mapper(boolean indented) {
        ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        if (indented) {
            // Jackson's default printer writes "key" : value; a terminal reader and grep expect "key": value
            mapper.setDefaultPrettyPrinter(new DefaultPrettyPrinter().withSeparators(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            mapper.enable(SerializationFeature.INDENT_OUTPUT);
        }
        return mapper;
    }

    /**
     * JSON text of a view holding text taken from a request: markup characters ({@code < > & ' "})
     * and anything outside printable ASCII are written as JSON unicode escapes, so no browser or
     * log viewer ever reads markup in it.
     */
    public String writeSafe(Object view) {
        try {
            return safeMapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view of maps and lists always serializes", e);
        }
    }

    /** At most {@value #EXCERPT} characters of a text taken from a request, an ellipsis marking a cut. */
    public static String excerpt(String text) {
        return text.codePointCount(0, text.length()) <= EXCERPT ? text
            : text.substring(0, text.offsetByCodePoints(0, EXCERPT)) + "…";
    }

    /** Jackson's JSON escapes, and markup characters and non-ASCII as JSON unicode escapes. */
    private static final class MarkupEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        MarkupEscapes() {
            for (char c : new char[] {'<', '>', '&', '\'', '"'}) {
                ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null; // ESCAPE_STANDARD: a JSON unicode escape for the marked ones
        }
    }

    /** JSON text of a view made of maps, lists, strings, numbers and booleans. */
    public String write(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view of maps and lists always serializes", e);
        }
    }

    /** The view of a decision record. */
    public Map<String, Object> decision(DecisionRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("messageId", record.messageId().orElse(null));
        view.put("captureKey", record.captureKey());
        view.put("direction", record.direction().name());
        view.put("sender", record.sender().map(Object::toString).orElse(null));
        view.put("clients", record.clients().stream().map(Object::toString).toList());
        view.put("employees", record.employees().stream().map(Object::toString).toList());
        view.put("mailbox", record.mailbox().map(Object::toString).orElse(null));
        view.put("reason", record.label());
        view.put("captured", record.captured());
        view.put("explanation", record.reason().explanation());
        view.put("detail", record.detail());
        view.put("items", items(record.items()));
        view.put("activityId", record.activityId().orElse(null));
        view.put("responsibleId", record.responsibleId().orElse(null));
        view.put("settings", new java.util.TreeMap<>(record.settings()));
        view.put("decidedAt", record.decidedAt().toString());
        record.caseNumber().ifPresent(number -> view.put("caseNumber", number));
        return view;
    }

    /**
     * The decision record of a decision view ({@link #decision}), as a {@link FileDecisionStore} reads
     * it back.
     *
     * @throws IllegalArgumentException when {@code line} is not a decision view
     */
    public DecisionRecord readDecision(String line) {
        try {
            JsonNode view = mapper.readTree(line);
            String label = view.path("reason").asText();
            ReasonCode reason = ReasonCode.valueOf(label.startsWith("FILTERED:") ? "FILTERED" : label);
            List<ItemRef> items = new ArrayList<>();
            view.path("items").forEach(item -> items.add(new ItemRef(ItemType.valueOf(item.path("type").asText()), item.path("id").asText())));
            Map<String, String> settings = new LinkedHashMap<>();
            view.path("settings").fields().forEachRemaining(entry -> settings.put(entry.getKey(), entry.getValue().asText()));
            return new DecisionRecord(text(view, "messageId"), view.path("captureKey").asText(),
                Direction.valueOf(view.path("direction").asText()), text(view, "sender").map(EmailAddress::of),
                addresses(view.path("clients")), addresses(view.path("employees")), text(view, "mailbox").map(EmailAddress::of),
                reason, label, view.path("detail").asText(), items, text(view, "activityId"), text(view, "responsibleId"), settings,
                Instant.parse(view.path("decidedAt").asText()), text(view, "caseNumber"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a decision: " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode view, String field) {
        JsonNode value = view.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static List<EmailAddress> addresses(JsonNode list) {
        List<EmailAddress> addresses = new ArrayList<>();
        list.forEach(address -> addresses.add(EmailAddress.of(address.asText())));
        return addresses;
    }

    /** The view of item references: {@code [{"type":"LEAD","id":"1"}]}. */
    public static List<Map<String, Object>> items(List<ItemRef> items) {
        return items.stream().map(item -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("type", item.type().name());
            view.put("id", item.id());
            return view;
        }).toList();
    }
}
