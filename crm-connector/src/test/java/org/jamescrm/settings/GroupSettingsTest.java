package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code <group>} element of crm-capture.xml (capture-rules §8): what it reads and each mistake's error. */
class GroupSettingsTest {
    static final String QUEUE = "<distribution>round-robin</distribution><queue>alice@company.example, bob@company.example</queue>";
    static final String BITRIX24 = "<connector>bitrix24</connector><bitrix24><portal>https://c.bitrix24.com/</portal>"
        + "<webhook user=\"7\" code=\"abc\"/></bitrix24>";

    @Test
    void aGroupShouldReadItsOwnKeysBesideTheMailboxKeys() {
        CaptureSettings settings = Settings.of("<group address=\"Support@Company.example\">" + QUEUE
            + "<newThread>case</newThread><teams>Support, Level 2</teams><replyTo>true</replyTo><threadToken>true</threadToken>"
            + "<acknowledgement><subject>Re: {subject}</subject><body>Case {caseNumber}.</body><from>noreply@company.example</from>"
            + "<perSender>3</perSender><window>1 hour</window></acknowledgement><leadSource>SUPPORT</leadSource></group>");

        MailboxSettings support = settings.forMailbox(EmailAddress.of("support@company.example"));
        assertThat(support.leadSource()).isEqualTo("SUPPORT");
        assertThat(support.distribution()).isEqualTo(DistributionRule.ROUND_ROBIN);
        GroupSettings group = support.group().orElseThrow();
        assertThat(group.newThread()).isEqualTo(NewThreadMode.CASE);
        assertThat(group.teams()).containsExactly("Support", "Level 2");
        assertThat(group.replyTo()).isTrue();
        assertThat(group.threadToken()).isTrue();
        assertThat(group.acknowledgement()).contains(new Acknowledgement("Re: {subject}", "Case {caseNumber}.",
            Optional.of(EmailAddress.of("noreply@company.example")), 3, Duration.ofHours(1)));
        assertThat(settings.isGroupMailbox(EmailAddress.of("support@company.example"))).isTrue();
    }

    @Test
    void aGroupShouldDefaultToTheMailboxRulesWithoutAcknowledgementNorChangesToAnswers() {
        GroupSettings group = Settings.of("<group address=\"sales@company.example\">" + QUEUE + "</group>")
            .group(EmailAddress.of("sales@company.example")).orElseThrow();

        assertThat(group).isEqualTo(GroupSettings.plain());
    }

    @Test
    void anAcknowledgementWithoutTemplatesShouldUseTheDefaultsWithFivePerTwoHours() {
        Acknowledgement acknowledgement = Settings.of("<group address=\"support@company.example\">" + QUEUE
            + "<newThread>case</newThread><acknowledgement/></group>")
            .group(EmailAddress.of("support@company.example")).orElseThrow().acknowledgement().orElseThrow();

        assertThat(acknowledgement).isEqualTo(new Acknowledgement(Acknowledgement.DEFAULT_SUBJECT, Acknowledgement.DEFAULT_BODY,
            Optional.empty(), 5, Duration.ofHours(2)));
    }

    @Test
    void aMailboxMarkedGroupShouldStillBeAPlainGroup() {
        CaptureSettings settings = Settings.of("<mailbox address=\"sales@company.example\" group=\"true\">" + QUEUE + "</mailbox>");

        assertThat(settings.group(EmailAddress.of("sales@company.example"))).contains(GroupSettings.plain());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        BITRIX24 + "<group address=\"support@company.example\">" + QUEUE + "<newThread>case</newThread></group>"
            + "|test.xml: key 'group.newThread' has value 'case', which needs cases, and the CRM 'bitrix24' has none; allowed values: defaults, lead",
        BITRIX24 + "<group address=\"support@company.example\">" + QUEUE + "<teams>Support</teams></group>"
            + "|test.xml: key 'group.teams' names teams, and the CRM 'bitrix24' does not assign records to teams; allowed: leave it out",
        "<group address=\"support@company.example\">" + QUEUE + "<newThread>ticket</newThread></group>"
            + "|test.xml: key 'group.newThread' has value 'ticket'; allowed values: defaults, case, lead",
        "<group address=\"support@company.example\">" + QUEUE + "<acknowledgement/></group>"
            + "|test.xml: key 'group.acknowledgement' acknowledges new cases, and newThread is 'defaults'; allowed: newThread case, or no acknowledgement",
        "<group address=\"support@company.example\">" + QUEUE + "<replyTo>true</replyTo></group>"
            + "|test.xml: key 'group.replyTo' applies to answers to case threads, and newThread is 'defaults'; allowed: newThread case, or false",
        "<group address=\"support@company.example\">" + QUEUE + "<newThread>case</newThread><acknowledgement><subject>Case {case}</subject></acknowledgement></group>"
            + "|test.xml: key 'group.acknowledgement.subject' has an unknown placeholder in 'Case {case}'; allowed placeholders: {subject}, {caseNumber}",
        "<group address=\"support@company.example\">" + QUEUE + "<newThread>case</newThread><acknowledgement><perSender>0</perSender></acknowledgement></group>"
            + "|test.xml: key 'group.acknowledgement.perSender' has value '0'; allowed values: a whole number of at least 1",
        "<group address=\"support@company.example\">" + QUEUE + "<newThread>case</newThread><acknowledgement><cc>x@y.example</cc></acknowledgement></group>"
            + "|test.xml: unknown key 'group.acknowledgement.cc'; allowed keys: subject, body, from, perSender, window",
        "<group address=\"support@company.example\">" + QUEUE + "<newthread>case</newthread></group>"
            + "|test.xml: unknown key 'group.newthread'; allowed keys: integration, excluded, createLeadForIncoming, createContactForOutgoing, leadSource, repeatSale, leadless, routeToAssignedManager, distribution, responsible, queue, body, attachmentLimit, skipAutomated, filter, newThread, teams, acknowledgement, replyTo, threadToken",
        "<group address=\"support@company.example\"><newThread>case</newThread></group>"
            + "|test.xml: key 'group.distribution' is mailbox-owner for a group mailbox, which has no owner; allowed values: direct, round-robin, least-busy",
        "<mailbox address=\"support@company.example\"/><group address=\"support@company.example\">" + QUEUE + "</group>"
            + "|test.xml: key 'group' is given twice for support@company.example, or also as a mailbox; allowed: once per address",
    })
    void everyMistakeShouldNameTheKeyAndWhatIsAllowed(String body, String message) {
        assertThatThrownBy(() -> Settings.of(body)).isInstanceOf(InvalidSettingsException.class).hasMessage(message);
    }

    @Test
    void theEffectiveSettingsOfAGroupShouldShowItsOwnKeys() {
        CaptureSettings settings = Settings.of("<group address=\"support@company.example\">" + QUEUE
            + "<newThread>case</newThread><teams>Support</teams></group>");

        java.util.Map<String, Object> view = EffectiveSettings.of(settings, EmailAddress.of("support@company.example"));

        assertThat(view).containsEntry("group", true);
        assertThat(view.get("groupSettings")).isEqualTo(java.util.Map.of("newThread", "case", "teams", List.of("Support"),
            "replyTo", false, "threadToken", false));
    }
}
