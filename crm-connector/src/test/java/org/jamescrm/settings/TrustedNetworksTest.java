package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jamescrm.spi.settings.SettingsProblem;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <trustedNetworks>}: IP literals and CIDR ranges, IPv4 and IPv6, never a DNS name. */
class TrustedNetworksTest {
    static final TrustedNetworks NETWORKS = TrustedNetworks.parse("trustedNetworks", "10.1.0.0/16, 192.0.2.7, 2001:db8::/32, ::1");

    @ParameterizedTest(name = "{0} trusted: {1}")
    @CsvSource({
        "10.1.0.1, true", "10.1.255.254, true", "10.2.0.1, false", "192.0.2.7, true", "192.0.2.8, false",
        "2001:db8::1, true", "2001:db9::1, false", "::1, true", "[::1], true", "127.0.0.1, false",
        "localhost, false", "mail.company.example, false", "'', false", "not an address, false",
    })
    void anAddressShouldBeTrustedOnlyInsideARange(String address, boolean trusted) {
        assertThat(NETWORKS.contains(address)).isEqualTo(trusted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/33", "10.1.0.0/x", "mail.company.example", "10.1.0.0/-1", "2001:db8::/129"})
    void aWrongRangeShouldNameTheKeyAndTheAllowedValues(String range) {
        assertThatThrownBy(() -> TrustedNetworks.parse("trustedNetworks", range)).isInstanceOf(SettingsProblem.class)
            .hasMessage("key 'trustedNetworks' has value '" + range + "'; allowed values: IP addresses or CIDR ranges, comma separated, "
                + "e.g. 10.1.0.0/16, ::1");
    }

    @Test
    void theSettingsFileShouldTrustNoNetworkUnlessItSaysSo() {
        assertThat(Settings.of("").trustedNetworks().ranges()).isEmpty();
        assertThat(Settings.of("<trustedNetworks>10.0.0.0/8</trustedNetworks>").trustedNetworks().contains("10.9.9.9")).isTrue();
    }
}
