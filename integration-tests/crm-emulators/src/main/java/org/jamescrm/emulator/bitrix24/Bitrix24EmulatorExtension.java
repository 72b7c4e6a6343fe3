package org.jamescrm.emulator.bitrix24;

import java.util.Objects;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link Bitrix24Emulator} per test class: started on first use, {@link Bitrix24Emulator#reset()
 * reset} before each test, closed after all tests; test methods and constructors may take it as a
 * parameter. Register it on a static field so JUnit runs the class-level callbacks:
 *
 * <pre>{@code
 * @RegisterExtension
 * static Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().rateLimit(50, 2.0));
 *
 * @Test
 * void something(Bitrix24Emulator portal) { ... }
 * }</pre>
 */
public final class Bitrix24EmulatorExtension implements BeforeEachCallback, AfterAllCallback, ParameterResolver {
    private final Bitrix24Emulator.Builder builder;
    private Bitrix24Emulator emulator;

    /** An extension whose emulator has the builder's configuration. */
    public Bitrix24EmulatorExtension(Bitrix24Emulator.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** An extension whose emulator has the defaults of {@link Bitrix24Emulator#builder()}. */
    public Bitrix24EmulatorExtension() {
        this(Bitrix24Emulator.builder());
    }

    /** The emulator, started on first use. */
    public synchronized Bitrix24Emulator emulator() {
        if (emulator == null) {
            emulator = builder.start();
        }
        return emulator;
    }

    /** Resets the emulator, so each test starts from an empty portal with no faults and full limits. */
    @Override
    public void beforeEach(ExtensionContext context) {
        emulator().reset();
    }

    /** Closes the emulator; a later use starts a new one. */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** Supports parameters of type {@link Bitrix24Emulator}. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Bitrix24Emulator.class;
    }

    /** The emulator. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return emulator();
    }
}
