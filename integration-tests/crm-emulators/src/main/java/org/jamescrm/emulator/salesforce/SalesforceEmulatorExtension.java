package org.jamescrm.emulator.salesforce;

import java.util.Objects;

import org.jamescrm.emulator.EmulatorExtension;

/**
 * One {@link SalesforceEmulator} per test class, the kit's {@link EmulatorExtension} started from a
 * {@link SalesforceEmulator.Builder}; register it on a static field.
 */
public final class SalesforceEmulatorExtension extends EmulatorExtension<SalesforceEmulator> {

    /** An extension whose emulator has the builder's configuration. */
    public SalesforceEmulatorExtension(SalesforceEmulator.Builder builder) {
        super(SalesforceEmulator.class, Objects.requireNonNull(builder, "builder")::start);
    }

    /** An extension whose emulator has the defaults of {@link SalesforceEmulator#builder()}. */
    public SalesforceEmulatorExtension() {
        this(SalesforceEmulator.builder());
    }
}
