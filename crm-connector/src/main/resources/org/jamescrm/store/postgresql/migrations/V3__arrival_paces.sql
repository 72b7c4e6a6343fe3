-- The pace at which captures reach each server's capture rounds, so that every server's rounds wait
-- by the whole cluster's pace when the servers share a CRM's request budget.
CREATE TABLE arrival_pace (
    node       text             PRIMARY KEY,
    per_second double precision NOT NULL,
    updated_at timestamptz      NOT NULL
);
