package org.jamescrm.store;

/**
 * The pace at which captures reach the capture rounds of the other servers of a cluster. A round
 * waits for company while the CRM's request budget gains by it, judged by how many captures are
 * likely to come within {@code roundWait}; when the servers share one budget, the captures of every
 * server spend it, so each server counts the others' pace too. On one server there are no others.
 */
public interface ArrivalPaces {
    /** No other server: what the local store has. */
    ArrivalPaces NONE = new ArrivalPaces() {
        @Override
        public void publish(double perSecond) {
        }

        @Override
        public double others() {
            return 0;
        }

        @Override
        public int otherServers() {
            return 0;
        }
    };

    /**
     * This server's pace: captures handed to its rounds per second, lately. Cheap to call often: a
     * shared store writes it in the background.
     */
    void publish(double perSecond);

    /** The other servers' paces added up, in captures per second; as lately read, never waiting for the store. */
    double others();

    /** How many other servers have captures coming lately; as lately read. */
    int otherServers();
}
