-- QuickBooks Desktop: the Web Connector's work lives in the store, so whichever instance the Web Connector reaches
-- can hand it out and take the answer back, and a run on another instance (or a resumed one) sees it.
-- A message is one qbXML round: queued by a run, handed out on a session's ticket, then answered, refused, lost,
-- withdrawn (every request taken back) or closed (its run is gone and it must never reach QuickBooks).
CREATE TABLE qbwc_messages (
  id             serial PRIMARY KEY,
  company_id     text NOT NULL,
  run_id         text,
  priority       boolean NOT NULL DEFAULT false,
  -- json, not jsonb: qbXML element order is the order of the keys, which jsonb does not keep.
  requests       json NOT NULL,
  tags           jsonb NOT NULL,
  withdrawn      jsonb NOT NULL DEFAULT '[]',
  state          text NOT NULL CHECK (state IN ('queued', 'out', 'answered', 'refused', 'lost', 'withdrawn', 'closed')),
  ticket         text,
  handed_out_at  timestamptz,
  response       text,
  hresult        text,
  message        text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX qbwc_messages_company_state_idx ON qbwc_messages (company_id, state, priority DESC, id);

-- Invoices taken off the queue (un-pended) since the company's last export started: a later add for one is withdrawn.
CREATE TABLE qbwc_taken_back (
  company_id text NOT NULL,
  source_id  text NOT NULL,
  PRIMARY KEY (company_id, source_id)
);

-- Web Connector sessions (tickets), readable by every instance: one per company (a new sign-in replaces the last).
CREATE TABLE qbwc_sessions (
  ticket         text PRIMARY KEY,
  company_id     text NOT NULL UNIQUE,
  qbxml_version  text NOT NULL,
  last_error     text,
  keep_alive     text,
  tally          jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL
);

-- Per company: when the Web Connector last called, the last connection error it reported, and the run that has
-- sent QuickBooks everything it will (its session can end).
CREATE TABLE qbwc_companies (
  company_id           text PRIMARY KEY,
  last_contact_at      timestamptz,
  connection_error     text,
  connection_error_at  timestamptz,
  finished_run_id      text
);
