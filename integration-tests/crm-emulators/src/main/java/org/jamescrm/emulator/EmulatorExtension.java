package org.jamescrm.emulator;

import java.util.Objects;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One emulator per test class: started on first use, {@link Emulator#reset() reset} before each
 * test, closed after all tests; test methods and constructors may take it as a parameter of its
 * exact type. Optionally each test fails when the emulator recorded a {@link Violation}. Register it
 * on a static field, so JUnit runs the class-level callbacks:
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmulatorExtension<ZohoEmulator> zoho = new EmulatorExtension<>(ZohoEmulator.class, () -> ZohoEmulator.builder().start())
 *     .failingOnViolations();
 *
 * @Test
 * void something(ZohoEmulator crm) { ... }
 * }</pre>
 *
 * Each emulator may offer a subclass that knows how to start it (e.g. {@code Bitrix24EmulatorExtension}).
 *
 * @param <E> the emulator's type
 */
public class EmulatorExtension<E extends Emulator> implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private final Class<E> type;
    private final Supplier<? extends E> starter;
    private boolean failOnViolations;
    private E emulator;

    /** An extension starting its emulator of {@code type} with {@code starter}. */
    public EmulatorExtension(Class<E> type, Supplier<? extends E> starter) {
        this.type = Objects.requireNonNull(type, "type");
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /** Makes each test fail after it ran when the emulator recorded a violation; returns this extension. */
    public EmulatorExtension<E> failingOnViolations() {
        this.failOnViolations = true;
        return this;
    }

    /** The emulator, started on first use. */
    public synchronized E emulator() {
        if (emulator == null) {
            emulator = Objects.requireNonNull(starter.get(), "the starter gave no emulator");
        }
        return emulator;
    }

    /** Resets the emulator, so each test starts from an empty CRM with no faults and full quotas. */
    @Override
    public void beforeEach(ExtensionContext context) {
        emulator().reset();
    }

    /** Fails the test on a recorded violation, when {@link #failingOnViolations()} was asked for. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (failOnViolations) {
            emulator().violations().assertNone();
        }
    }

    /** Closes the emulator; a later use starts a new one. */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** Supports parameters of the emulator's exact type. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    /** The emulator. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return emulator();
    }
}
