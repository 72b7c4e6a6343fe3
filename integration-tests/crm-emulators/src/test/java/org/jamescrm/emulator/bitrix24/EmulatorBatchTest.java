package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.emulator.bitrix24.EmulatorHttp.enc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code batch}: references, halt, the 50-command limit and the result shapes (§5). */
class EmulatorBatchTest {
    @RegisterExtension
    static final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().rateLimit(100_000, 10_000));

    Bitrix24Emulator portal;
    EmulatorHttp http;

    @BeforeEach
    void setUp(Bitrix24Emulator portal) {
        this.portal = portal;
        this.http = new EmulatorHttp(portal);
    }

    private JsonNode batch(Map<String, String> commands, int halt) {
        Reply reply = http.call("batch", http.json("halt", halt, "cmd", commands));
        assertThat(reply.status()).as("a batch answers 200 whatever its commands do").isEqualTo(200);
        return reply.result();
    }

    private static Map<String, String> commands(String... idsAndCalls) {
        Map<String, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < idsAndCalls.length; i += 2) {
            commands.put(idsAndCalls[i], idsAndCalls[i + 1]);
        }
        return commands;
    }

    @Test
    void aLaterCommandShouldUseAnEarlierResult() {
        JsonNode result = batch(commands(
            "contact", "crm.contact.add?fields[NAME]=Ann&fields[EMAIL][0][VALUE]=" + enc("ann@client.example"),
            "lead", "crm.lead.add?fields[TITLE]=Inquiry&fields[CONTACT_ID]=$result[contact]"), 0);

        assertThat(result.get("result").toString()).isEqualTo("{\"contact\":1,\"lead\":1}");
        assertThat(portal.leads().get(0).get("CONTACT_ID")).isEqualTo("1");
        assertThat(portal.leads().get(0).get("IS_RETURN_CUSTOMER")).isEqualTo("Y");
        assertThat(result.get("result_error").isArray()).isTrue();
        assertThat(result.get("result_error")).isEmpty();
        assertThat(result.get("result_total").isArray()).isTrue();
        assertThat(result.get("result_next").isArray()).isTrue();
        assertThat(result.get("result_time").get("lead").has("operating")).isTrue();
    }

    @Test
    void aReferenceShouldWalkIntoListResults() {
        for (int i = 0; i < 3; i++) {
            portal.addLead(Map.of("TITLE", "lead " + i));
        }

        JsonNode result = batch(commands(
            "page", "crm.lead.list?select[0]=ID&select[1]=TITLE&order[ID]=DESC&start=-1",
            "first", "crm.lead.get?id=$result[page][0][ID]",
            "text", "crm.lead.list?filter[" + enc("%TITLE") + "]=" + enc("lead ") + "$result[page][2][ID]&select[0]=ID"), 0);

        assertThat(result.get("result").get("first").get("TITLE").asText()).isEqualTo("lead 2");
        assertThat(result.get("result").get("text").get(0).get("ID").asText()).as("spliced into a longer value").isEqualTo("2");
    }

    @Test
    void listCommandsShouldReportTotalAndNext() {
        for (int i = 0; i < 55; i++) {
            portal.addLead(Map.of("TITLE", "lead " + i));
        }

        JsonNode result = batch(commands("all", "crm.lead.list?select[0]=ID", "rest", "crm.lead.list?select[0]=ID&start=50",
            "none", "crm.lead.list?select[0]=ID&filter[ID]=999"), 0);

        assertThat(result.get("result_total").toString()).isEqualTo("{\"all\":55,\"rest\":55,\"none\":0}");
        assertThat(result.get("result_next").toString()).isEqualTo("{\"all\":50}");
        assertThat(result.get("result").get("rest")).hasSize(5);
        assertThat(result.get("result").get("none").isArray()).isTrue();
    }

    @Test
    void aFailingCommandShouldLandInResultErrorAndTheOthersRunWithoutHalt() {
        JsonNode result = batch(commands("missing", "crm.lead.get?id=42", "unknown", "crm.nothing.here", "mode", "crm.settings.mode.get"), 0);

        assertThat(result.get("result").toString()).isEqualTo("{\"mode\":1}");
        assertThat(result.get("result_error").get("missing").toString()).isEqualTo("{\"error\":\"\",\"error_description\":\"Not found\"}");
        assertThat(result.get("result_error").get("unknown").get("error").asText()).isEqualTo("ERROR_METHOD_NOT_FOUND");
        assertThat(result.get("result_time").has("missing")).as("no time for failed commands").isFalse();
    }

    @Test
    void haltShouldStopAtTheFirstFailingCommand() {
        JsonNode result = batch(commands("one", "crm.lead.add?fields[TITLE]=one", "bad", "crm.lead.add?fields[STATUS_ID]=NOPE",
            "three", "crm.lead.add?fields[TITLE]=three"), 1);

        assertThat(result.get("result").toString()).isEqualTo("{\"one\":1}");
        assertThat(result.get("result_error").fieldNames()).toIterable().containsExactly("bad");
        assertThat(portal.leads()).hasSize(1);
    }

    @Test
    void commandsBeyondFiftyShouldFailWithBatchLengthExceeded() {
        Map<String, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < 52; i++) {
            commands.put("c" + i, "crm.lead.add?fields[TITLE]=lead" + i);
        }

        JsonNode result = batch(commands, 0);

        assertThat(result.get("result")).hasSize(50);
        assertThat(result.get("result_error").fieldNames()).toIterable().containsExactly("c50", "c51");
        assertThat(result.get("result_error").get("c50").toString())
            .isEqualTo("{\"error\":\"ERROR_BATCH_LENGTH_EXCEEDED\",\"error_description\":\"Max batch length exceeded\"}");
        assertThat(portal.leads()).hasSize(50);
        assertThat(portal.requests().get(0).batchCommands()).isEqualTo(52);
    }

    @Test
    void aNestedBatchShouldBeRefused() {
        JsonNode result = batch(commands("inner", "batch?cmd[x]=crm.settings.mode.get"), 0);

        assertThat(result.get("result_error").get("inner").get("error").asText()).isEqualTo("ERROR_BATCH_METHOD_NOT_ALLOWED");
    }

    @Test
    void aListOfCommandsShouldAnswerListsAndAnEmptyBatchEmptyArrays() {
        Reply list = http.call("batch", http.json("cmd", List.of("crm.settings.mode.get", "crm.settings.mode.get")));
        Reply empty = http.call("batch", http.json("cmd", Map.of()));

        assertThat(list.result().get("result").toString()).isEqualTo("[1,1]");
        assertThat(empty.result().toString())
            .isEqualTo("{\"result\":[],\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}");
    }

    @Test
    void aFormEncodedBatchShouldCarryItsCommandsEncodedTwice() {
        String command = "crm.lead.add?fields[TITLE]=" + enc("A & B") + "&fields[EMAIL][0][VALUE]=" + enc("a+b@client.example");

        Reply reply = http.postForm(http.webhook("batch"), "halt=0&cmd[add]=" + enc(command));

        assertThat(reply.result().get("result").get("add").asInt()).isEqualTo(1);
        assertThat(portal.leads().get(0).get("TITLE")).isEqualTo("A & B");
        assertThat(portal.leads().get(0).get("EMAIL").toString()).contains("a+b@client.example");
    }

    @Test
    void anUnencodedPlusInACommandShouldBecomeASpaceAsInPhp() {
        JsonNode result = batch(commands("add", "crm.contact.add?fields[NAME]=Ann+Lee"), 0);

        assertThat(result.get("result").get("add").asInt()).isEqualTo(1);
        assertThat(portal.contacts().get(0).get("NAME")).isEqualTo("Ann Lee");
    }

    @Test
    void theConnectorsActivityBatchShouldCompleteWithoutResending() {
        long contact = portal.addContact(Map.of("NAME", "Carol", "EMAIL", "carol@client.example"));
        String add = "crm.activity.add?fields[OWNER_TYPE_ID]=3&fields[OWNER_ID]=" + contact + "&fields[TYPE_ID]=4&fields[DIRECTION]=2"
            + "&fields[SUBJECT]=" + enc("Re: Quote") + "&fields[COMPLETED]=N&fields[START_TIME]=" + enc("2026-11-22T07:15:00Z")
            + "&fields[COMMUNICATIONS][0][VALUE]=" + enc("carol@client.example") + "&fields[COMMUNICATIONS][0][ENTITY_TYPE_ID]=3"
            + "&fields[COMMUNICATIONS][0][ENTITY_ID]=" + contact + "&fields[COMMUNICATIONS][0][TYPE]=EMAIL"
            + "&fields[SETTINGS][EMAIL_META][cc]=&fields[SETTINGS][MESSAGE_HEADERS][Message-Id]=" + enc("<reply@company.example>");

        JsonNode result = batch(commands("add", add, "complete", "crm.activity.update?id=$result[add]&fields[COMPLETED]=Y"), 1);

        assertThat(result.get("result").toString()).isEqualTo("{\"add\":1,\"complete\":true}");
        Map<String, Object> activity = portal.activity(1);
        assertThat(activity.get("COMPLETED")).isEqualTo("Y");
        assertThat(activity.get("START_TIME")).isEqualTo("2026-11-22T07:15:00+00:00");
        assertThat(activity.get("SETTINGS").toString()).isEqualTo("{EMAIL_META={cc=}, MESSAGE_HEADERS={Message-Id=<reply@company.example>}}");
        assertThat(portal.resentOutgoingEmails()).isEmpty();
    }

    @Test
    void aReferenceToAMissingKeyShouldBehaveAsInPhp() {
        portal.addLead(Map.of("TITLE", "one"));

        JsonNode result = batch(commands(
            "mode", "crm.settings.mode.get",
            "spliced", "crm.lead.list?filter[" + enc("%TITLE") + "]=x$result[missing]&select[0]=ID",
            "whole", "crm.lead.get?id=$result[missing]"), 0);

        assertThat(result.get("result").get("spliced")).as("a non-string value leaves the reference as written").isEmpty();
        assertThat(result.get("result").get("whole").get("ID").asText())
            .as("the whole value becomes the results array, and intval(array) is 1").isEqualTo("1");
    }

    @Test
    void batchCommandsShouldBeSkippedWhenTheyAreNotStrings() {
        Reply reply = http.call("batch", http.json("cmd", Map.of("object", Map.of("method", "crm.settings.mode.get"))));

        assertThat(reply.result().get("result").isArray()).isTrue();
        assertThat(reply.result().get("result")).isEmpty();
        assertThat(reply.result().get("result_error")).isEmpty();
    }

    @Test
    void theInProcessBatchShouldRunTheSameWay() {
        JsonNode result = portal.call("batch", Map.of("cmd", Map.of("a", "crm.lead.add?fields[TITLE]=x")));

        assertThat(result.get("result").get("a").asInt()).isEqualTo(1);
        List<String> titles = new ArrayList<>();
        portal.leads().forEach(lead -> titles.add((String) lead.get("TITLE")));
        assertThat(titles).containsExactly("x");
    }
}
