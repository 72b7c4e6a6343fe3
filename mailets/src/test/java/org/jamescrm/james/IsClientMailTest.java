package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.jamescrm.settings.SettingsParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.settings.CaptureSettingsSource;

/** The client-mail matcher lets administrators compose processors on what the capture would take. */
class IsClientMailTest {
    IsClientMail matcher;

    @BeforeEach
    void setUp() throws Exception {
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
            "<crmcapture><neverLog><domain>bank.example</domain></neverLog></crmcapture>".getBytes(StandardCharsets.UTF_8)), "t.xml"));
        MailetContext context = mock(MailetContext.class);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        matcher = new IsClientMail(new MailClassifier(source));
        matcher.init(FakeMatcherConfig.builder().matcherName("IsClientMail").mailetContext(context).build());
    }

    @AfterEach
    void tearDown() {
        matcher.destroy();
    }

    @Test
    void clientMailShouldMatchAllRecipients() throws Exception {
        assertThat(matcher.match(CaptureToCrmTest.mail("carol@client.example", "alice@company.example", "<1@x>")))
            .containsExactly(new MailAddress("alice@company.example"));
    }

    @Test
    void internalAndNeverLogMailShouldNotMatch() throws Exception {
        assertThat(matcher.match(CaptureToCrmTest.mail("alice@company.example", "bob@company.example", "<2@x>"))).isEmpty();
        assertThat(matcher.match(CaptureToCrmTest.mail("advisor@bank.example", "alice@company.example", "<3@x>"))).isEmpty();
    }

    @Test
    void aConditionShouldBeRefused() {
        IsClientMail another = new IsClientMail(mock(MailClassifier.class));

        try {
            assertThatThrownBy(() -> another.init(FakeMatcherConfig.builder().matcherName("IsClientMail").condition("x").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("IsClientMail takes no condition, got 'x'");
        } finally {
            another.destroy();
        }
    }
}
