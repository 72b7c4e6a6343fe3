package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;

/** What an employee's answer to a case thread carries: the group in Reply-To, the case token where asked. */
class CaseAnswersTest {
    static final String SUPPORT = "support@company.example";
    static final String CLIENT = "dora@client.example";

    private static CaptureHarness openCase(String groupKeys) {
        CaptureHarness harness = new CaptureHarness("<group address=\"" + SUPPORT + "\"><distribution>round-robin</distribution>"
            + "<queue>alice@company.example</queue><newThread>case</newThread>" + groupKeys + "</group>");
        harness.deliver(CLIENT, List.of(SUPPORT), message(CLIENT, SUPPORT, "<1@client>", "Printer broken", ""));
        return harness;
    }

    private static CaseAnswers answers(CaptureHarness harness) {
        return new CaseAnswers(harness.decisions, () -> harness.settings);
    }

    @Test
    void anAnswerToACaseThreadShouldGetTheGroupInReplyToAndTheTokenWhenAsked() {
        CaptureHarness harness = openCase("<replyTo>true</replyTo><threadToken>true</threadToken>");
        String number = harness.crm.cases().get(0).number();

        Optional<CaseAnswers.Change> change = answers(harness).forAnswer(List.of("<1@client>"), "Re: Printer broken");

        assertThat(change).contains(new CaseAnswers.Change(Optional.of(EmailAddress.of(SUPPORT)),
            Optional.of("Re: Printer broken [#" + number + "]")));
    }

    @Test
    void aSubjectThatCarriesTheTokenShouldStayAsItIs() {
        CaptureHarness harness = openCase("<threadToken>true</threadToken>");
        String subject = "Re: [#" + harness.crm.cases().get(0).number() + "] Printer broken";

        assertThat(answers(harness).forAnswer(List.of("<1@client>"), subject))
            .contains(new CaseAnswers.Change(Optional.empty(), Optional.empty()));
    }

    @Test
    void aGroupThatAsksForNeitherShouldChangeNothing() {
        CaptureHarness harness = openCase("");

        assertThat(answers(harness).forAnswer(List.of("<1@client>"), "Re: Printer broken")).isEmpty();
    }

    @Test
    void anAnswerToAThreadWithoutCaseShouldChangeNothing() {
        CaptureHarness harness = openCase("<replyTo>true</replyTo>");
        harness.deliver(CLIENT, List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<2@client>", "Personal", ""));

        assertThat(answers(harness).forAnswer(List.of("<2@client>", "<unknown@x>"), "Re: Personal")).isEmpty();
    }
}
