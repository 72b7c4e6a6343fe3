/**
 * The store of {@code <store><postgresql>}: every server of a cluster shares the capture's state
 * in one PostgreSQL database, in its own schema {@code crm_capture}, through plain JDBC. Each part
 * takes its shared step as one atomic statement (a unique key, a compare-and-set upsert) or one short
 * transaction (a row lock, an advisory lock), never a lock held across a CRM's HTTP calls but for the
 * OAuth refresh, which must happen once.
 */
package org.jamescrm.store.postgresql;
