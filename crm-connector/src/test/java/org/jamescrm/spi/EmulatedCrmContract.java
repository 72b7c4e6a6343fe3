package org.jamescrm.spi;

import org.jamescrm.emulator.Emulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Both contracts of a connector, {@link CrmConnectorContract} and {@link OneByOneCrmContract}, run
 * against its CRM's emulator: a connector made for each test, and no test may leave a violation (what
 * the real CRM would have done that a user would regret). A CRM's contract test extends it once per auth
 * mode and registers its emulator's extension.
 *
 * @param <E> the CRM's emulator
 * @param <C> the CRM's connector
 */
public abstract class EmulatedCrmContract<E extends Emulator, C extends CrmConnector & OneByOneCrm>
        implements CrmConnectorContract, OneByOneCrmContract {
    private C connector;

    /** The emulator, reset before each test by the extension the subclass registers. */
    protected abstract E emulator();

    /** A connector to {@code emulator}, authenticated as this subclass tests. */
    protected abstract C connect(E emulator);

    @BeforeEach
    final void connectToTheEmulator() {
        connector = connect(emulator());
    }

    @AfterEach
    final void noViolation() {
        emulator().violations().assertNone();
    }

    @Override
    public CrmConnector connector() {
        return connector;
    }

    @Override
    public OneByOneCrm crm() {
        return connector;
    }
}
