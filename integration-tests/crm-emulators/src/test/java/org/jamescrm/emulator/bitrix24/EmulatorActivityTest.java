package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.StoredFile;
import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** crm.activity.add/get/update/list: validation, bindings, files and the re-send trap (§7.6, §7.7). */
class EmulatorActivityTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.ofHours(1));

    @RegisterExtension
    static final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().clock(CLOCK).rateLimit(100_000, 10_000)
        .maxFileSize(1024));

    Bitrix24Emulator portal;
    EmulatorHttp http;
    long alice;
    long contact;
    long deal;

    @BeforeEach
    void setUp(Bitrix24Emulator portal) {
        this.portal = portal;
        this.http = new EmulatorHttp(portal);
        alice = portal.addUser(Map.of("NAME", "Alice", "EMAIL", "alice@company.example"));
        contact = portal.addContact(Map.of("NAME", "Ann", "EMAIL", "ann@client.example", "ASSIGNED_BY_ID", alice));
        deal = portal.addDeal(Map.of("CONTACT_ID", contact, "ASSIGNED_BY_ID", alice));
    }

    /** The document's example: an incoming e-mail on deal 55 and its contact 77. */
    private Map<String, Object> incoming() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("OWNER_TYPE_ID", 2);
        fields.put("OWNER_ID", deal);
        fields.put("TYPE_ID", 4);
        fields.put("DIRECTION", 1);
        fields.put("SUBJECT", "Re: offer");
        fields.put("DESCRIPTION", "<p>Hello</p>");
        fields.put("DESCRIPTION_TYPE", 3);
        fields.put("COMPLETED", "N");
        fields.put("START_TIME", "2026-03-02T09:15:00+01:00");
        fields.put("END_TIME", "2026-03-03T19:00:00+01:00");
        fields.put("COMMUNICATIONS", List.of(Map.of("VALUE", "ann@client.example", "ENTITY_TYPE_ID", 3, "ENTITY_ID", contact)));
        fields.put("ORIGINATOR_ID", "james-crm");
        fields.put("ORIGIN_ID", "<CAF1234@client.example>");
        fields.put("SETTINGS", Map.of("EMAIL_META", Map.of("from", "Ann <ann@client.example>", "to", "alice@company.example"),
            "MESSAGE_HEADERS", Map.of("Message-Id", "<CAF1234@client.example>")));
        return fields;
    }

    private Reply add(Map<String, Object> fields) {
        return http.call("crm.activity.add", http.json("fields", fields));
    }

    private Map<String, Object> with(Map<String, Object> fields, Object... keysAndValues) {
        Map<String, Object> copy = new HashMap<>(fields);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) {
                copy.remove((String) keysAndValues[i]);
            } else {
                copy.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return copy;
    }

    @Test
    void anIncomingEmailShouldBeBoundToTheOwnerAndTheCommunicationEntities() {
        long id = add(incoming()).result().asLong();

        Map<String, Object> activity = portal.activity(id);
        assertThat(activity.get("BINDINGS")).isEqualTo(List.of(Map.of("OWNER_TYPE_ID", "2", "OWNER_ID", "1"),
            Map.of("OWNER_TYPE_ID", "3", "OWNER_ID", "1")));
        assertThat(activity.get("RESPONSIBLE_ID")).as("the owner's responsible").isEqualTo(Long.toString(alice));
        assertThat(activity.get("PROVIDER_ID")).isEqualTo("CRM_EMAIL");
        assertThat(activity.get("START_TIME")).isEqualTo("2026-03-02T09:15:00+01:00");
        assertThat(activity.get("DESCRIPTION_TYPE")).isEqualTo("3");
        assertThat(portal.resentOutgoingEmails()).isEmpty();
    }

    @Test
    void getShouldAnswerTheColumnsWithoutCommunicationsOrFiles() {
        long id = add(incoming()).result().asLong();

        JsonNode activity = http.call("crm.activity.get", http.json("id", id)).result();

        assertThat(activity.get("ID").asText()).isEqualTo(Long.toString(id));
        assertThat(activity.get("OWNER_TYPE_ID").asText()).isEqualTo("2");
        assertThat(activity.get("SETTINGS").get("MESSAGE_HEADERS").get("Message-Id").asText()).isEqualTo("<CAF1234@client.example>");
        assertThat(activity.has("COMMUNICATIONS")).isFalse();
        assertThat(activity.has("FILES")).isFalse();
        assertThat(activity.get("COMPLETED").asText()).isEqualTo("N");
        assertThat(activity.get("STATUS").asText()).isEqualTo("1");
    }

    @Test
    void anOutgoingEmailCreatedCompletedShouldBeRecordedAsResent() {
        add(with(incoming(), "DIRECTION", 2, "COMPLETED", "Y"));

        assertThat(portal.resentOutgoingEmails()).hasSize(1);
        assertThat(portal.resentOutgoingEmails().get(0).get("SUBJECT")).isEqualTo("Re: offer");
        assertThat(portal.violations().all()).singleElement().satisfies(violation -> {
            assertThat(violation.kind()).isEqualTo(Violation.Kind.EMAIL_SENT_TO_CLIENT);
            assertThat(violation.operation()).isEqualTo("crm.activity.add");
            assertThat(violation.at()).isEqualTo(CLOCK.instant());
        });
        assertThatThrownBy(() -> portal.violations().assertNone()).isInstanceOf(AssertionError.class)
            .hasMessageContaining("EMAIL_SENT_TO_CLIENT by crm.activity.add");
    }

    @Test
    void anOutgoingEmailCreatedOpenAndCompletedByUpdateShouldNotBeResent() {
        long id = add(with(incoming(), "DIRECTION", 2, "COMPLETED", "N")).result().asLong();

        Reply update = http.call("crm.activity.update", http.json("id", id, "fields", Map.of("COMPLETED", "Y")));

        assertThat(update.result().asBoolean()).isTrue();
        assertThat(portal.activity(id).get("COMPLETED")).isEqualTo("Y");
        assertThat(portal.activity(id).get("STATUS")).isEqualTo("2");
        assertThat(portal.resentOutgoingEmails()).isEmpty();
    }

    @Test
    void anIncomingEmailCreatedCompletedShouldNotBeResent() {
        add(with(incoming(), "COMPLETED", "Y"));

        assertThat(portal.resentOutgoingEmails()).isEmpty();
    }

    @Test
    void theDocumentedValidationErrorsShouldBeAnswered() {
        Map<String, String> expected = Map.of(
            "no type", "The field TYPE_ID is not defined or invalid.",
            "task", "The activity type \"Task is not supported in current context\".",
            "no communications", "The field COMMUNICATIONS is not defined or invalid.",
            "wrong type communications", "The field COMMUNICATIONS is not defined or invalid.",
            "no owner", "Could not build binding. Please ensure that owner info and communications are defined correctly.",
            "missing owner", "Could not find 'DEAL' with ID: 99",
            "blank subject", "The field SUBJECT is not defined or empty.",
            "unknown responsible", "The field RESPONSIBLE_ID is not defined or invalid.",
            "two on a call", "The only one communication is allowed for activity of specified type.",
            "bad direction", "The field DIRECTION is not defined or invalid.");
        Map<String, Map<String, Object>> cases = Map.of(
            "no type", with(incoming(), "TYPE_ID", null),
            "task", with(incoming(), "TYPE_ID", 3),
            "no communications", with(incoming(), "COMMUNICATIONS", null),
            "wrong type communications", with(incoming(), "COMMUNICATIONS", List.of(Map.of("VALUE", "+420777", "TYPE", "PHONE"))),
            // without owner an entity-less communication is dropped first; a provider activity needs none
            "no owner", with(incoming(), "TYPE_ID", 6, "PROVIDER_ID", "REST_APP", "OWNER_ID", null, "OWNER_TYPE_ID", null,
                "COMMUNICATIONS", null),
            "missing owner", with(incoming(), "OWNER_ID", 99),
            "blank subject", with(incoming(), "SUBJECT", "  "),
            "unknown responsible", with(incoming(), "RESPONSIBLE_ID", 42),
            "two on a call", with(incoming(), "TYPE_ID", 2, "COMMUNICATIONS", List.of(Map.of("VALUE", "+1"), Map.of("VALUE", "+2"))),
            "bad direction", with(incoming(), "DIRECTION", 5));

        Map<String, String> answered = new HashMap<>();
        cases.forEach((name, fields) -> {
            Reply reply = add(fields);
            assertThat(reply.status()).as(name).isEqualTo(400);
            assertThat(reply.error()).as(name).isEmpty();
            answered.put(name, reply.description());
        });

        assertThat(answered).isEqualTo(expected);
        assertThat(portal.activities()).isEmpty();
    }

    @Test
    void anInvalidStartTimeShouldBeRefused() {
        Reply reply = add(with(incoming(), "START_TIME", "next tuesday"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).startsWith("The field START_TIME has an invalid date-time value");
    }

    @Test
    void aCommunicationWithoutEntityShouldGetTheOwnerAndFieldsMissingShouldGetDefaults() {
        long id = add(Map.of("OWNER_TYPE_ID", 3, "OWNER_ID", contact, "TYPE_ID", 4, "SUBJECT", "Hi",
            "COMMUNICATIONS", List.of(Map.of("VALUE", "ann@client.example"), Map.of("VALUE", ""), Map.of("ENTITY_ID", 1)))).result().asLong();

        Map<String, Object> activity = portal.activity(id);
        assertThat(activity.get("COMMUNICATIONS")).isEqualTo(List.of(Map.of("ID", "1", "ACTIVITY_ID", Long.toString(id), "ENTITY_ID",
            Long.toString(contact), "ENTITY_TYPE_ID", "3", "TYPE", "EMAIL", "VALUE", "ann@client.example")));
        assertThat(activity.get("RESPONSIBLE_ID")).isEqualTo(Long.toString(alice));
        assertThat(activity.get("DIRECTION")).isEqualTo("0");
        assertThat(activity.get("START_TIME")).isEqualTo("2026-11-29T11:00:00+01:00");
    }

    @Test
    void communicationsAloneShouldGiveTheOwner() {
        long id = add(with(incoming(), "OWNER_ID", null, "OWNER_TYPE_ID", null)).result().asLong();

        assertThat(portal.activity(id).get("OWNER_TYPE_ID")).isEqualTo("3");
        assertThat(portal.activity(id).get("OWNER_ID")).isEqualTo(Long.toString(contact));
    }

    @Test
    void filesShouldBeStoredDecodedAndRemovableOnUpdate() {
        String content = "%PDF-1.4 offer";
        String base64 = Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
        long id = add(with(incoming(), "FILES", List.of(Map.of("fileData", List.of("offer.pdf", base64)),
            Map.of("fileData", List.of("notes.txt", Base64.getEncoder().encodeToString("n".getBytes(StandardCharsets.UTF_8)))))))
            .result().asLong();

        List<StoredFile> files = portal.files(id);
        assertThat(files).extracting(StoredFile::name).containsExactly("offer.pdf", "notes.txt");
        assertThat(new String(files.get(0).content(), StandardCharsets.UTF_8)).isEqualTo(content);

        http.call("crm.activity.update", http.json("id", id, "fields", Map.of("FILES", List.of(Map.of("id", files.get(0).id(),
            "remove", "Y")))));
        assertThat(portal.files(id)).extracting(StoredFile::name).containsExactly("notes.txt");
    }

    @Test
    void aFileAboveTheSizeLimitShouldFailTheCall() {
        String big = Base64.getEncoder().encodeToString(new byte[2048]);

        Reply reply = add(with(incoming(), "FILES", List.of(Map.of("fileData", List.of("big.bin", big)))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).contains("big.bin").contains("1024");
        assertThat(portal.activities()).isEmpty();
    }

    @Test
    void listShouldFindActivitiesByOriginAndShowCommunicationsWhenSelected() {
        add(incoming());
        add(with(incoming(), "ORIGIN_ID", "<other@client.example>"));

        Reply reply = http.call("crm.activity.list", http.json("filter", Map.of("ORIGINATOR_ID", "james-crm", "ORIGIN_ID",
            "<CAF1234@client.example>"), "select", List.of("ID", "OWNER_TYPE_ID", "OWNER_ID", "COMMUNICATIONS")));

        assertThat(reply.result()).hasSize(1);
        JsonNode row = reply.result().get(0);
        assertThat(row.fieldNames()).toIterable().containsExactly("ID", "OWNER_ID", "OWNER_TYPE_ID", "COMMUNICATIONS");
        assertThat(row.get("COMMUNICATIONS").get(0).get("ENTITY_TYPE_ID").asText()).isEqualTo("3");
        assertThat(http.call("crm.activity.list", http.json("select", List.of("*"))).result().get(0).has("COMMUNICATIONS"))
            .as("* does not cover COMMUNICATIONS").isFalse();
    }

    @Test
    void ownerFiltersShouldMatchTheOwnerOnlyAndBindingsEveryBinding() {
        add(incoming());
        long onContact = add(with(incoming(), "OWNER_TYPE_ID", 3, "OWNER_ID", contact)).result().asLong();

        Reply byOwner = http.call("crm.activity.list", http.json("filter", Map.of("OWNER_TYPE_ID", 3, "OWNER_ID", contact)));
        Reply byBinding = http.call("crm.activity.list", http.json("filter", Map.of("BINDINGS", List.of(Map.of("OWNER_TYPE_ID", 3,
            "OWNER_ID", contact)))));
        Reply twoPairs = http.call("crm.activity.list", http.json("filter", Map.of("BINDINGS", List.of(Map.of("OWNER_TYPE_ID", 3,
            "OWNER_ID", contact), Map.of("OWNER_TYPE_ID", 2, "OWNER_ID", deal)))));

        assertThat(ids(byOwner)).containsExactly(Long.toString(onContact));
        assertThat(ids(byBinding)).containsExactly("1", "2");
        assertThat(ids(twoPairs)).as("an activity bound to both pairs comes twice").containsExactly("1", "1", "2");
    }

    @Test
    void listShouldOrderByStartTimeByDefault() {
        add(with(incoming(), "START_TIME", "2026-03-05T09:00:00+01:00"));
        add(with(incoming(), "START_TIME", "2026-03-01T09:00:00+01:00"));

        assertThat(ids(http.call("crm.activity.list", http.json()))).containsExactly("2", "1");
    }

    @Test
    void updatingAMissingActivityShouldAnswerActivityIsNotFound() {
        Reply reply = http.call("crm.activity.update", http.json("id", 12, "fields", Map.of("COMPLETED", "Y")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).isEqualTo("Activity is not found.");
    }

    @Test
    void updatingCommunicationsShouldRebuildBindings() {
        long lead = portal.addLead(Map.of("TITLE", "l", "EMAIL", "ann@client.example"));
        long id = add(incoming()).result().asLong();

        http.call("crm.activity.update", http.json("id", id, "fields", Map.of("COMMUNICATIONS", List.of(Map.of("VALUE",
            "ann@client.example", "ENTITY_TYPE_ID", 1, "ENTITY_ID", lead)))));

        assertThat(portal.activity(id).get("BINDINGS")).isEqualTo(List.of(Map.of("OWNER_TYPE_ID", "2", "OWNER_ID", Long.toString(deal)),
            Map.of("OWNER_TYPE_ID", "1", "OWNER_ID", Long.toString(lead))));
    }

    @Test
    void aTimelineCommentShouldNeedLowerCaseFieldsAndAnExistingItem() {
        Reply added = http.call("crm.timeline.comment.add", http.json("fields", Map.of("ENTITY_ID", deal, "ENTITY_TYPE", "deal",
            "COMMENT", "note")));
        Reply upperCase = http.call("crm.timeline.comment.add", http.json("FIELDS", Map.of("ENTITY_ID", deal, "ENTITY_TYPE", "deal",
            "COMMENT", "note")));
        Reply missing = http.call("crm.timeline.comment.add", http.json("fields", Map.of("ENTITY_ID", 99, "ENTITY_TYPE", "deal",
            "COMMENT", "note")));

        assertThat(added.result().asInt()).isEqualTo(1);
        assertThat(upperCase.error()).isEqualTo("100");
        assertThat(missing.error()).isEqualTo("OWNER_NOT_FOUND");
        assertThat(portal.timelineComments()).extracting(comment -> comment.get("COMMENT")).containsExactly("note");
    }

    private static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.result().forEach(row -> ids.add(row.get("ID").asText()));
        return ids;
    }
}
