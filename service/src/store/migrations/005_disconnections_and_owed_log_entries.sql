-- When an admin last disconnected a company from QuickBooks Online: the pages then say "disconnected on …", not
-- "not connected yet". (The tokens themselves are deleted.)
CREATE TABLE qbo_disconnections (
  company_id       text PRIMARY KEY,
  disconnected_at  timestamptz NOT NULL
);

-- Process Log entries a run could not write to Salesforce (it was down when the run ended): kept here and written
-- to their log later, in order, instead of being lost.
CREATE TABLE owed_log_entries (
  log_id      text NOT NULL,
  sequence    integer NOT NULL,
  company_id  text NOT NULL,
  entry       text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (log_id, sequence)
);
CREATE INDEX owed_log_entries_company_idx ON owed_log_entries (company_id);
