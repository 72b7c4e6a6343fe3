package org.jamescrm.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;

class DryRunQueryTest {

    @Test
    void theEnvelopeShouldBeReadWithLookupsByDefault() {
        DryRunQuery query = DryRunQuery.parse(Map.of("sender", new String[] {"carol@client.example"},
            "recipient", new String[] {"alice@company.example", "bob@company.example"})::get);

        assertThat(query.envelope().sender()).contains(EmailAddress.of("carol@client.example"));
        assertThat(query.envelope().recipients()).containsExactly(EmailAddress.of("alice@company.example"),
            EmailAddress.of("bob@company.example"));
        assertThat(query.envelope().authenticatedUser()).isEmpty();
        assertThat(query.lookups()).isTrue();
    }

    @Test
    void aNullSenderAndAnAuthenticatedSubmissionWithoutLookupsShouldBeRead() {
        assertThat(DryRunQuery.parse(Map.of("sender", new String[] {"<>"}, "recipient", new String[] {"alice@company.example"})::get)
            .envelope().sender()).isEmpty();
        DryRunQuery query = DryRunQuery.parse(Map.of("sender", new String[] {"alice@company.example"},
            "recipient", new String[] {"crm@company.example"}, "authenticated", new String[] {"true"}, "lookups", new String[] {"false"})::get);

        assertThat(query.envelope().authenticatedUser()).isEqualTo(Optional.of("alice@company.example"));
        assertThat(query.lookups()).isFalse();
    }

    @Test
    void aMissingRecipientShouldBeRefused() {
        assertThatThrownBy(() -> DryRunQuery.parse(Map.of("sender", new String[] {"carol@client.example"})::get))
            .hasMessage("Missing 'recipient' query parameter: allowed values: one or more e-mail addresses");
    }

    @Test
    void aBadAddressShouldBeRefusedWithAnEscapedExcerptOnly() {
        String hostile = "<script>" + "x".repeat(500);

        assertThatThrownBy(() -> DryRunQuery.parse(Map.of("recipient", new String[] {hostile})::get))
            .hasMessageStartingWith("Invalid 'recipient' query parameter '\\u003cscript\\u003exxx")
            .hasMessageEndingWith("…': allowed values: an e-mail address")
            .message().doesNotContain("<script>").hasSizeLessThan(150);
    }

    @Test
    void aBadFlagShouldBeRefused() {
        assertThatThrownBy(() -> DryRunQuery.parse(Map.of("recipient", new String[] {"alice@company.example"},
            "lookups", new String[] {"maybe"})::get))
            .hasMessage("Invalid 'lookups' query parameter 'maybe': allowed values: true, false");
    }
}
