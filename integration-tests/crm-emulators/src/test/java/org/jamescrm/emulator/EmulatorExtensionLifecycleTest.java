package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generic JUnit extension: one emulator per class, reset before each test, closed after all, injected as a parameter. */
class EmulatorExtensionLifecycleTest {

    private static EmulatorExtension<EchoEmulator> extension() {
        return new EmulatorExtension<>(EchoEmulator.class, () -> new EchoEmulator(Clock.systemUTC()));
    }

    @Test
    void theCallbacksShouldStartOnceResetBeforeEachTestAndCloseAfterAll() {
        EmulatorExtension<EchoEmulator> extension = extension();

        extension.beforeEach(null);
        EchoEmulator first = extension.emulator();
        extension.beforeEach(null);
        extension.afterAll(null);

        assertThat(extension.emulator()).as("a later use starts a new one").isNotSameAs(first);
        assertThat(first.resets).hasValue(2);
        assertThat(first.closed).isTrue();
        extension.afterAll(null);
    }

    @Test
    void failingOnViolationsShouldFailTheTestThatLeftOne() {
        EmulatorExtension<EchoEmulator> extension = extension().failingOnViolations();
        try {
            extension.beforeEach(null);
            assertThatCode(() -> extension.afterEach(null)).doesNotThrowAnyException();
            extension.emulator().violations().record(Violation.Kind.EMAIL_SENT_TO_CLIENT, "send", "an e-mail to the client", Map.of());

            assertThatThrownBy(() -> extension.afterEach(null)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("EMAIL_SENT_TO_CLIENT by send");
        } finally {
            extension.afterAll(null);
        }
    }

    @Test
    void withoutFailingOnViolationsAViolationShouldNotFailTheTest() {
        EmulatorExtension<EchoEmulator> extension = extension();
        try {
            extension.emulator().violations().record(Violation.Kind.DUPLICATE_RECORD, "create", "a duplicate", Map.of());

            assertThatCode(() -> extension.afterEach(null)).doesNotThrowAnyException();
        } finally {
            extension.afterAll(null);
        }
    }

    /** The extension registered as tests use it. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Registered {
        @RegisterExtension
        final EmulatorExtension<EchoEmulator> echo = extension();

        EchoEmulator first;

        @Test
        @Order(1)
        void theEmulatorShouldBeInjected(EchoEmulator crm) {
            first = crm;
            crm.faults().next(1, Fault.status(500));
            crm.post("/a");

            assertThat(crm).isSameAs(echo.emulator());
            assertThat(crm.resets).hasValue(1);
        }

        @Test
        @Order(2)
        void theNextTestShouldGetTheSameEmulatorReset(EchoEmulator crm) {
            assertThat(crm).isSameAs(first);
            assertThat(crm.resets).hasValue(2);
            assertThat(crm.calls().all()).isEmpty();
            assertThat(crm.post("/a").statusCode()).as("the fault was dropped").isEqualTo(200);
        }
    }
}
