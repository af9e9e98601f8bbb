-- Ledgerline durable store: initial schema. Runs with search_path set to the store's schema,
-- so names are unqualified. Timestamps are timestamptz; structured values are jsonb.

-- QuickBooks OAuth tokens per Company. Tokens are stored only as AES-256-GCM ciphertext
-- (v1.<iv>.<tag>.<ciphertext>), bound to company_id and field.
CREATE TABLE qbo_tokens (
  company_id               text PRIMARY KEY,
  realm_id                 text NOT NULL,
  access_token_ciphertext  text NOT NULL,
  refresh_token_ciphertext text NOT NULL,
  access_token_expires_at  timestamptz NOT NULL,
  refresh_token_expires_at timestamptz NOT NULL,
  connected_at             timestamptz NOT NULL,
  last_refreshed_at        timestamptz,
  status                   text NOT NULL CHECK (status IN ('connected', 'reauthorization_required')),
  status_reason            text,
  version                  integer NOT NULL DEFAULT 1,
  updated_at               timestamptz NOT NULL
);

-- Single-use OAuth "state" values of the Connect flow.
CREATE TABLE oauth_states (
  state      text PRIMARY KEY,
  company_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);

-- Export runs.
CREATE TABLE runs (
  id             text PRIMARY KEY,
  seq            bigserial NOT NULL, -- insertion order: tie-break for equal started_at
  company_id     text NOT NULL,
  status         text NOT NULL CHECK (status IN ('running', 'succeeded', 'completed_with_errors', 'failed')),
  phase          text NOT NULL,
  dry_run        boolean NOT NULL,
  options        jsonb NOT NULL DEFAULT '{}'::jsonb,
  progress       jsonb NOT NULL DEFAULT '{}'::jsonb,
  counts         jsonb NOT NULL DEFAULT '{}'::jsonb,
  result         jsonb,
  process_log_id text,
  error          text,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  heartbeat_at   timestamptz NOT NULL
);
CREATE INDEX runs_company_started_idx ON runs (company_id, started_at DESC, seq DESC);
CREATE INDEX runs_running_idx ON runs (heartbeat_at) WHERE status = 'running';

-- Durable per-record export state (the exactly-once journal).
CREATE TABLE journal_entries (
  company_id  text NOT NULL,
  record_type text NOT NULL CHECK (record_type IN ('customer', 'product', 'invoice', 'payment')),
  record_id   text NOT NULL,
  state       text NOT NULL CHECK (state IN ('pending', 'sent', 'created', 'written_back', 'failed')),
  run_id      text NOT NULL,
  request_id  text,
  qbo_id      text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  error       text,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (company_id, record_type, record_id)
);
CREATE INDEX journal_entries_state_idx ON journal_entries (company_id, record_type, state);

-- QuickBooks request ids: one per (scope, content fingerprint), issued once and reused forever.
CREATE TABLE idempotency_keys (
  scope       text NOT NULL,
  fingerprint text NOT NULL,
  key         text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (scope, fingerprint)
);

-- Leases (e.g. one export per Company at a time, one token refresher). Times come from the
-- application's clock, not the database's.
CREATE TABLE locks (
  key         text PRIMARY KEY,
  owner       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL
);
