package org.jamescrm.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code <store>}: where the capture keeps its state beyond one message (the capture ledger,
 * round-robin positions, flood counters, decisions, OAuth tokens and request budget). Read at start
 * only: a changed store takes a restart.
 */
public sealed interface StoreSettings {

    /** {@code <store>local</store>}, the default: in the server (memory and files under its working directory). */
    record Local() implements StoreSettings {
    }

    /**
     * {@code <store><postgresql>…</postgresql></store>}: a PostgreSQL database that every server of a
     * cluster shares; the store's tables live in its own schema {@code crm_capture}, created and
     * migrated at start.
     *
     * @param url              {@code <url>}: the JDBC URL, {@code jdbc:postgresql://host:5432/database}
     * @param user             {@code <user>}: the database user
     * @param password         {@code <password>}: its password, usually {@code ${env:NAME}}; empty for
     *                         a database that asks none
     * @param poolSize         {@code <poolSize>}: the most connections this server opens (default 4)
     * @param keepDecisions    {@code <keepDecisions>}: the most decisions kept for the search, all servers
     *                         together (default 10000)
     * @param keepDecisionsFor {@code <keepDecisionsFor>}: how long a decision is kept (default 30 days)
     */
    record PostgreSql(String url, String user, String password, int poolSize, int keepDecisions, Duration keepDecisionsFor)
            implements StoreSettings {
        /** The pool of a server that names none: a round's statements run one after another. */
        public static final int DEFAULT_POOL_SIZE = 4;
        public static final int DEFAULT_KEEP_DECISIONS = 10_000;
        public static final Duration DEFAULT_KEEP_DECISIONS_FOR = Duration.ofDays(30);

        public PostgreSql {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(keepDecisionsFor, "keepDecisionsFor");
        }

        /** The URL without its parameters, which may carry a password: for messages. */
        public String shownUrl() {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }

        @Override
        public String toString() {
            return "PostgreSql[url=" + shownUrl() + ", user=" + user + ", password=***, poolSize=" + poolSize
                + ", keepDecisions=" + keepDecisions + ", keepDecisionsFor=" + keepDecisionsFor + "]";
        }
    }
}
