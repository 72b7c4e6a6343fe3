package org.jamescrm.spi;

/** The stage semantics of a deal, whatever the CRM calls its stages. */
public enum DealStage {
    /** In progress: an "active deal" of capture-rules §4.2. */
    IN_PROGRESS,
    WON,
    LOST;

    public boolean active() {
        return this == IN_PROGRESS;
    }
}
