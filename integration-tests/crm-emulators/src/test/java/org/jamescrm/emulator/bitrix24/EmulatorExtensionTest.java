package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit extension: one started emulator per class, reset before each test, injected as a parameter. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorExtensionTest {
    @RegisterExtension
    static final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().webhook(3, "abc123"));

    /** The emulator the first test got (one test instance for the class). */
    Bitrix24Emulator first;

    @Test
    @Order(1)
    void theEmulatorShouldBeInjectedAndConfiguredByTheBuilder(Bitrix24Emulator portal) {
        first = portal;
        portal.addLead(Map.of("TITLE", "left over"));
        portal.faultNext(1, Bitrix24Emulator.Fault.status(500));

        assertThat(portal).isSameAs(b24.emulator());
        assertThat(portal.webhookUrl().toString()).isEqualTo(portal.portalUrl() + "rest/3/abc123/");
        assertThat(portal.webhookUrl().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    @Order(2)
    void theNextTestShouldGetTheSameEmulatorReset(Bitrix24Emulator portal) {
        EmulatorHttp http = new EmulatorHttp(portal);

        assertThat(portal).isSameAs(first);
        assertThat(portal.leads()).isEmpty();
        assertThat(http.call("crm.settings.mode.get", http.json()).status()).as("the fault was dropped").isEqualTo(200);
        assertThat(portal.users()).extracting(user -> user.get("ID")).containsExactly("3");
    }
}
