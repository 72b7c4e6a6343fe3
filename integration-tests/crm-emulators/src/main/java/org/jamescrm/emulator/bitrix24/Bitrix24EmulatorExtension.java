package org.jamescrm.emulator.bitrix24;

import java.util.Objects;

import org.jamescrm.emulator.EmulatorExtension;

/**
 * One {@link Bitrix24Emulator} per test class, the kit's {@link EmulatorExtension} started from a
 * {@link Bitrix24Emulator.Builder}: started on first use, {@link Bitrix24Emulator#reset() reset} before
 * each test, closed after all tests; test methods and constructors may take it as a parameter.
 * Register it on a static field so JUnit runs the class-level callbacks:
 *
 * <pre>{@code
 * @RegisterExtension
 * static Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().rateLimit(50, 2.0));
 *
 * @Test
 * void something(Bitrix24Emulator portal) { ... }
 * }</pre>
 */
public final class Bitrix24EmulatorExtension extends EmulatorExtension<Bitrix24Emulator> {

    /** An extension whose emulator has the builder's configuration. */
    public Bitrix24EmulatorExtension(Bitrix24Emulator.Builder builder) {
        super(Bitrix24Emulator.class, Objects.requireNonNull(builder, "builder")::start);
    }

    /** An extension whose emulator has the defaults of {@link Bitrix24Emulator#builder()}. */
    public Bitrix24EmulatorExtension() {
        this(Bitrix24Emulator.builder());
    }

    /** The emulator, started on first use (declared again so its erasure stays {@link Bitrix24Emulator} for compiled callers). */
    @Override
    public synchronized Bitrix24Emulator emulator() {
        return super.emulator();
    }
}
