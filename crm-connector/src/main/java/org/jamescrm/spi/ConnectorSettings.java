package org.jamescrm.spi;

import java.util.Set;

/**
 * A connector's own settings, as its provider read them from its element of {@code crm-capture.xml}
 * ({@code <bitrix24>}, {@code <memory>} ...). Opaque to the core, which hands them back to the
 * provider that made them; it only asks for the secrets, so that no string leaving the product can
 * carry one.
 */
public interface ConnectorSettings {

    /** The secret values of these settings (webhook codes, client secrets, tokens, passwords); empty when none. */
    Set<String> secrets();
}
