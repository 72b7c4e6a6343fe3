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

    /** A connector's call of the shared store (its OAuth tokens, its request budget). */
    @FunctionalInterface
    public interface StoreCall<T> {
        T call() throws org.jamescrm.spi.CrmException;
    }

    /**
     * Runs a connector's call of the shared store; the store's own failure fails as the CRM being
     * unavailable, so that the capture waits in the queue as for a CRM outage.
     *
     * @param what what the store was asked for, for the message
     */
    public static <T> T orCrmUnavailable(String what, StoreCall<T> call) throws org.jamescrm.spi.CrmException {
        try {
            return call.call();
        } catch (StoreUnavailableException e) {
            throw new org.jamescrm.spi.CrmUnavailableException(what + " are unavailable: " + e.getMessage(), java.util.Optional.empty(), e);
        }
    }
}
