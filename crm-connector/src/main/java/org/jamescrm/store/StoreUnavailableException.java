package org.jamescrm.store;

/**
 * The shared store cannot be reached or failed a statement. Mail keeps flowing; the captures that
 * needed the store wait in the capture queue and are tried again.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
