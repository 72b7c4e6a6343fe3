package org.jamescrm.spi;

/**
 * The CRM refused the call for good: wrong credentials, missing permission, invalid data. The capture
 * is parked for an administrator instead of being retried.
 */
public final class CrmRejectedException extends CrmException {
    private static final long serialVersionUID = 1L;

    public CrmRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    public CrmRejectedException(String message) {
        this(message, null);
    }
}
