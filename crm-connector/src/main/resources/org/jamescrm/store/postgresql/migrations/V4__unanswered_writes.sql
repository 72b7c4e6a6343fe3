-- A claim whose write got no answer from the CRM (the write may have landed): the key's next claim
-- takes an activity found under it for that write's, not for a duplicate.
ALTER TABLE capture_ledger DROP CONSTRAINT capture_ledger_state_check;
ALTER TABLE capture_ledger ADD CONSTRAINT capture_ledger_state_check CHECK (state IN ('claimed', 'captured', 'unanswered'));
