package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.jamescrm.model.MailParty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 822 form of a name, a comment after a bare address, names the party as a display name does. */
class AddressCommentNameTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "deuschle@mnh.telekom.de (Guenter Deuschle)|deuschle@mnh.telekom.de|Guenter Deuschle",
        "joe@x.example (\"Joe Bloggs\")|joe@x.example|Joe Bloggs",
        "joe@x.example (=?ISO-8859-1?Q?J=F6rg_Bloggs?=)|joe@x.example|Jörg Bloggs",
        "Real Name <joe@x.example> (a comment)|joe@x.example|Real Name",
        "joe@x.example|joe@x.example|",
        "joe@x.example ()|joe@x.example|",
    })
    void aCommentAfterABareAddressShouldBeItsName(String field, String address, String name) {
        assertThat(Addresses.parse(field)).singleElement().satisfies(party -> {
            assertThat(party.address().value()).isEqualTo(address);
            assertThat(party.displayName()).isEqualTo(Optional.ofNullable(name));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a@x.example (Ann A), b@x.example (Bob B)|Ann A|Bob B",
    })
    void eachAddressOfAListShouldKeepItsOwnCommentName(String field, String first, String second) {
        assertThat(Addresses.parse(field)).extracting(MailParty::displayName)
            .containsExactly(Optional.of(first), Optional.of(second));
    }
}
