package org.jamescrm.emulator.zoho;

import java.util.Objects;

import org.jamescrm.emulator.EmulatorExtension;

/**
 * One {@link ZohoEmulator} per test class, the kit's {@link EmulatorExtension} started from a
 * {@link ZohoEmulator.Builder}; register it on a static field.
 */
public final class ZohoEmulatorExtension extends EmulatorExtension<ZohoEmulator> {

    /** An extension whose emulator has the builder's configuration. */
    public ZohoEmulatorExtension(ZohoEmulator.Builder builder) {
        super(ZohoEmulator.class, Objects.requireNonNull(builder, "builder")::start);
    }

    /** An extension whose emulator has the defaults of {@link ZohoEmulator#builder()}. */
    public ZohoEmulatorExtension() {
        this(ZohoEmulator.builder());
    }
}
