/**
 * The capture's state beyond one message, as an SPI: the capture ledger (exactly once), the
 * round-robin positions, the flood counters, the decisions kept, the CRM's OAuth tokens and the CRM's
 * request budget. {@code local} keeps them in the server (memory and files under James's working
 * directory); {@code postgresql} ({@link org.jamescrm.store.postgresql}) shares them between every
 * server of a cluster.
 */
package org.jamescrm.store;
