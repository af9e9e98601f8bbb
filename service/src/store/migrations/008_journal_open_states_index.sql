-- The journal's state index keeps only the records still in flight ('pending', 'sent', 'created': what recovery and
-- owed write-backs look for), so written-back rows, nearly all of them, leave it. The embedded store keeps no
-- statistics, and with the index on every row its planner took it for look-ups by record id (scanning every row of
-- the record type each time, a cost that grew with the journal): a partial index cannot serve a query that does not
-- name those states, so those look-ups take the primary key.
DROP INDEX IF EXISTS journal_entries_state_idx;
CREATE INDEX journal_entries_open_idx ON journal_entries (company_id, record_type, state) WHERE state IN ('pending', 'sent', 'created');
