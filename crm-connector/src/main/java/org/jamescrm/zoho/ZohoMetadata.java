package org.jamescrm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.DealStage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The field settings the connector needs ({@code GET settings/fields?module=…}), read once per module
 * and kept an hour: the allowed values of a restricted picklist (a value outside them is
 * {@code INVALID_DATA}), and the Deals {@code Stage} picklist whose {@code forecast_type} says whether a
 * stage is closed (won or lost), for the stages of every pipeline: Deals have no closed flag.
 */
final class ZohoMetadata {
    static final Duration KEPT = Duration.ofHours(1);
    /** What a picklist value is matched without: spaces, underscores and dashes. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s_-]");

    private final ZohoClient client;
    private final Clock clock;
    private final Map<String, Fields> modules = new ConcurrentHashMap<>();

    /** One module's picklists by field API name: each value with its forecast type (empty when none). */
    private record Fields(Map<String, Map<String, String>> picklists, Instant until) {
    }

    ZohoMetadata(ZohoClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The values of a picklist, with their forecast types; empty when the field has no picklist. */
    Map<String, String> picklist(String module, String field) throws CrmException {
        return fields(module).picklists().getOrDefault(field, Map.of());
    }

    /** The value of a picklist naming {@code wanted} (case, spaces and dashes aside), if the picklist has one. */
    Optional<String> option(String module, String field, String wanted) throws CrmException {
        String normal = normal(wanted);
        return picklist(module, field).keySet().stream().filter(value -> normal(value).equals(normal)).findFirst();
    }

    /** A deal stage's meaning, from its forecast type (probability 100 or 0 when there is none). */
    DealStage stage(String stage) throws CrmException {
        String forecast = picklist(ZohoFields.DEALS, "Stage").getOrDefault(stage, "");
        return switch (forecast) {
            case "Closed Won" -> DealStage.WON;
            case "Closed Lost" -> DealStage.LOST;
            default -> DealStage.IN_PROGRESS;
        };
    }

    /** The stage a new deal starts in: the first open stage of the Stage picklist. */
    String firstOpenStage() throws CrmException {
        for (Map.Entry<String, String> value : picklist(ZohoFields.DEALS, "Stage").entrySet()) {
            if (!value.getValue().startsWith("Closed")) {
                return value.getKey();
            }
        }
        return "Qualification";
    }

    private Fields fields(String module) throws CrmException {
        Instant now = clock.instant();
        Fields cached = modules.get(module);
        if (cached != null && cached.until().isAfter(now)) {
            return cached;
        }
        JsonNode answer = client.get("settings/fields", "module", module);
        Map<String, Map<String, String>> picklists = new LinkedHashMap<>();
        for (JsonNode field : answer.path("fields")) {
            JsonNode values = field.path("pick_list_values");
            if (values.isArray() && !values.isEmpty()) {
                Map<String, String> options = new LinkedHashMap<>();
                for (JsonNode value : values) {
                    String actual = value.path("actual_value").asText(value.path("display_value").asText());
                    String forecast = value.path("forecast_type").asText("");
                    if (forecast.isEmpty() && value.has("probability")) {
                        int probability = value.path("probability").asInt(50);
                        forecast = probability >= 100 ? "Closed Won" : probability <= 0 ? "Closed Lost" : "";
                    }
                    options.putIfAbsent(actual, forecast);
                }
                picklists.put(field.path("api_name").asText(), options);
            }
        }
        Fields fields = new Fields(picklists, now.plus(KEPT));
        modules.put(module, fields);
        return fields;
    }

    private static String normal(String value) {
        return SEPARATORS.matcher(value.toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
