-- Flood counters, OAuth tokens and the CRMs' request budgets, shared by every server.

-- One row per counted capture of a client address; rows older than the flood window are pruned.
CREATE TABLE flood_capture (
    id          bigserial   PRIMARY KEY,
    client      text        NOT NULL,
    captured_at timestamptz NOT NULL
);
CREATE INDEX flood_capture_client ON flood_capture (client, captured_at);

-- One row per CRM account: the tokens in use, and a digest of the configured refresh token they grew from.
CREATE TABLE oauth_tokens (
    account       text        PRIMARY KEY,
    seed_digest   text        NOT NULL,
    access_token  text,
    refresh_token text        NOT NULL,
    refreshed_at  timestamptz,
    node          text
);

-- One leaky bucket per CRM account: its level when it was last drained.
CREATE TABLE request_budget (
    account    text             PRIMARY KEY,
    level      double precision NOT NULL,
    drained_at timestamptz      NOT NULL
);
