package org.jamescrm.spi;

/**
 * A CRM call failed. Connectors classify every failure as {@link CrmUnavailableException} (try again
 * later) or {@link CrmRejectedException} (trying again cannot help); messages never contain secrets.
 */
public abstract sealed class CrmException extends Exception permits CrmUnavailableException, CrmRejectedException {
    private static final long serialVersionUID = 1L;

    protected CrmException(String message, Throwable cause) {
        super(message, cause);
    }
}
