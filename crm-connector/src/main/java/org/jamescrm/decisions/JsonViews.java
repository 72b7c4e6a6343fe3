package org.jamescrm.decisions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.spi.ItemRef;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes the product's JSON views (decision records, the in-memory CRM) with one configured mapper.
 * The views are explicit maps, so the JSON contract of the WebAdmin routes is written down in one
 * place instead of following the Java field names.
 */
public final class JsonViews {
    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

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
        view.put("mailbox", record.mailbox().map(Object::toString).orElse(null));
        view.put("reason", record.label());
        view.put("captured", record.captured());
        view.put("detail", record.detail());
        view.put("items", items(record.items()));
        view.put("activityId", record.activityId().orElse(null));
        view.put("responsibleId", record.responsibleId().orElse(null));
        view.put("settings", new java.util.TreeMap<>(record.settings()));
        view.put("decidedAt", record.decidedAt().toString());
        return view;
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
