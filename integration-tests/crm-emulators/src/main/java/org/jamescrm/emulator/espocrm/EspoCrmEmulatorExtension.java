package org.jamescrm.emulator.espocrm;

import java.util.Objects;

import org.jamescrm.emulator.EmulatorExtension;

/**
 * One {@link EspoCrmEmulator} per test class, the kit's {@link EmulatorExtension} started from a
 * {@link EspoCrmEmulator.Builder}; register it on a static field.
 */
public final class EspoCrmEmulatorExtension extends EmulatorExtension<EspoCrmEmulator> {

    /** An extension whose emulator has the builder's configuration. */
    public EspoCrmEmulatorExtension(EspoCrmEmulator.Builder builder) {
        super(EspoCrmEmulator.class, Objects.requireNonNull(builder, "builder")::start);
    }

    /** An extension whose emulator has the defaults of {@link EspoCrmEmulator#builder()}. */
    public EspoCrmEmulatorExtension() {
        this(EspoCrmEmulator.builder());
    }
}
