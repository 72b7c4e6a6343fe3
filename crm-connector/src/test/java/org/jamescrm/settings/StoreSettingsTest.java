package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code <store>}: local by default, a cluster's PostgreSQL when named, and an exact error for each mistake. */
class StoreSettingsTest {
    private static final String DATABASE = "<url>jdbc:postgresql://db.company.example:5432/james</url><user>james</user>";

    private static CaptureSettings parse(String body) {
        return new SettingsParser(ConnectorProviders.load(), Map.of("CRM_DB_PASSWORD", "s3cret")::get)
            .parse(new ByteArrayInputStream(("<crmcapture>" + body + "</crmcapture>").getBytes(StandardCharsets.UTF_8)),
                "conf/crm-capture.xml");
    }

    @Test
    void aFileWithoutStoreShouldKeepTheStateLocally() {
        assertThat(parse("").store()).isEqualTo(new StoreSettings.Local());
        assertThat(parse("<store>local</store>").store()).isEqualTo(new StoreSettings.Local());
    }

    @Test
    void aPostgresqlStoreShouldReadTheDatabaseWithThePasswordFromTheEnvironment() {
        StoreSettings store = parse("<store><postgresql>" + DATABASE + "<password>${env:CRM_DB_PASSWORD}</password>"
            + "<poolSize>8</poolSize><keepDecisions>50000</keepDecisions><keepDecisionsFor>90 days</keepDecisionsFor>"
            + "</postgresql></store>").store();

        assertThat(store).isEqualTo(new StoreSettings.PostgreSql("jdbc:postgresql://db.company.example:5432/james", "james", "s3cret",
            8, 50_000, Duration.ofDays(90)));
        assertThat(store.toString()).doesNotContain("s3cret");
    }

    @Test
    void aPostgresqlStoreShouldHaveItsDefaults() {
        assertThat(parse("<store><postgresql>" + DATABASE + "</postgresql></store>").store())
            .isEqualTo(new StoreSettings.PostgreSql("jdbc:postgresql://db.company.example:5432/james", "james", "", 4, 10_000,
                Duration.ofDays(30)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<store>shared</store>|key 'store' has value 'shared'; allowed values: local, or a <postgresql> element",
        "<store>postgresql</store>|key 'store.postgresql' is missing",
        "<store><mysql/></store>|unknown key 'store.mysql'; allowed keys: postgresql",
        "<store><postgresql><user>james</user></postgresql></store>|key 'store.postgresql.url' is missing; allowed values: a JDBC URL such as jdbc:postgresql://",
        "<store><postgresql><url>jdbc:postgresql://db/james</url></postgresql></store>|key 'store.postgresql.user' is missing",
        "<store><postgresql><url>jdbc:mysql://db/james</url><user>j</user></postgresql></store>|key 'store.postgresql.url' has value 'jdbc:mysql://db/james'",
        "<store><postgresql><url>jdbc:postgresql://db/j?password=hidden</url><url>x</url></postgresql></store>|key 'store.postgresql.url' is given twice",
        "<store><postgresql><url>jdbc:postgresql://db/j</url><user>j</user><poolSize>500</poolSize></postgresql></store>|key 'store.postgresql.poolSize' has value '500'; allowed values: a whole number from 1 to 64",
        "<store><postgresql><url>jdbc:postgresql://db/j</url><user>j</user><password>${env:UNSET}</password></postgresql></store>|key 'store.postgresql.password' refers to the environment variable UNSET, which is not set",
        "<store><postgresql><url>jdbc:postgresql://db/j</url><user>j</user><pool>5</pool></postgresql></store>|unknown key 'store.postgresql.pool'; allowed keys: url, user, password, poolSize",
        "<store>local</store><store>local</store>|key 'store' is given twice",
    })
    void aWrongStoreShouldStopTheStartNamingTheFileTheKeyAndWhatIsAllowed(String body, String message) {
        assertThatThrownBy(() -> parse(body))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageStartingWith("conf/crm-capture.xml: ")
            .hasMessageContaining(message);
    }

    @Test
    void aWrongUrlShouldNotBeEchoedWithItsParameters() {
        assertThatThrownBy(() -> parse("<store><postgresql><url>jdbc:mysql://db/j?password=hidden</url><user>j</user></postgresql></store>"))
            .hasMessageContaining("jdbc:mysql://db/j?…").hasMessageNotContaining("hidden");
    }
}
