-- The first schema of the shared store: exactly once, round robin, the decision search.

-- One row per capture key and CRM: claimed by a server before it writes, marked captured after.
CREATE TABLE capture_ledger (
    capture_key text        NOT NULL,
    crm         text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('claimed', 'captured')),
    node        text        NOT NULL,
    activity_id text,
    claimed_at  timestamptz NOT NULL,
    PRIMARY KEY (capture_key, crm)
);
CREATE INDEX capture_ledger_claimed_at ON capture_ledger (claimed_at);

-- Items assigned so far by each mailbox's round robin.
CREATE TABLE round_robin (
    mailbox  text   PRIMARY KEY,
    position bigint NOT NULL
);

-- The decisions kept for the search: the criteria as columns, the whole record as its JSON view.
CREATE TABLE decisions (
    id          bigserial   PRIMARY KEY,
    message_id  text,
    capture_key text        NOT NULL,
    sender      text,
    mailbox     text,
    recipients  text[]      NOT NULL,
    reason      text        NOT NULL,
    label       text        NOT NULL,
    captured    boolean     NOT NULL,
    decided_at  timestamptz NOT NULL,
    node        text        NOT NULL,
    record      text        NOT NULL
);
CREATE INDEX decisions_message_id ON decisions (message_id);
CREATE INDEX decisions_capture_key ON decisions (capture_key);
CREATE INDEX decisions_sender ON decisions (sender);
CREATE INDEX decisions_mailbox ON decisions (mailbox);
CREATE INDEX decisions_decided_at ON decisions (decided_at);
CREATE INDEX decisions_recipients ON decisions USING gin (recipients);
