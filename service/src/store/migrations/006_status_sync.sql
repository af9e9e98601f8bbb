-- QuickBooks status back into Salesforce. Per Company: its sync schedule and how far its changes are synced
-- (status_sync_companies); each sync, what it read and did (status_syncs); and what QuickBooks holds of each document
-- and payment the syncs have seen, with whether Salesforce has it yet (synced_documents, synced_payments and the
-- payments' applications, synced_payment_links). CloudEvents already received are kept by id (webhook_events).
CREATE TABLE status_sync_companies (
  company_id    text PRIMARY KEY,
  -- null: the STATUS_SYNC_EVERY_MINUTES setting; 0: no scheduled syncs for this company.
  every_minutes integer CHECK (every_minutes IS NULL OR every_minutes >= 0),
  next_at       timestamptz,
  -- QuickBooks' changes up to this time are in the store: the next sync asks for changes since then.
  synced_up_to  timestamptz,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX status_sync_companies_next_at_idx ON status_sync_companies (next_at);

CREATE TABLE status_syncs (
  id            text PRIMARY KEY,
  seq           bigserial NOT NULL,
  company_id    text NOT NULL,
  trigger       text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'webhook')),
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'completed_with_errors', 'failed')),
  requested_at  timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz,
  heartbeat_at  timestamptz NOT NULL,
  instance_id   text,
  -- What the sync asked QuickBooks for: changes since this time, or (catch_up) everything.
  changed_since timestamptz,
  catch_up      boolean NOT NULL DEFAULT false,
  up_to         timestamptz,
  reads         integer NOT NULL DEFAULT 0,
  usage         jsonb,
  counts        jsonb NOT NULL DEFAULT '{}'::jsonb,
  problems      jsonb NOT NULL DEFAULT '[]'::jsonb,
  error         text
);
CREATE INDEX status_syncs_company_idx ON status_syncs (company_id, requested_at DESC, seq DESC);
CREATE INDEX status_syncs_open_idx ON status_syncs (heartbeat_at) WHERE status IN ('queued', 'running');
-- At most one sync of a company waits to start: later requests join it.
CREATE UNIQUE INDEX status_syncs_one_queued_idx ON status_syncs (company_id) WHERE status = 'queued';

-- state: 'owed' (Salesforce does not hold this yet), 'written', 'foreign' (no Salesforce record of this company).
CREATE TABLE synced_documents (
  company_id        text NOT NULL,
  qbo_id            text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('invoice', 'creditMemo')),
  number            text,
  txn_date          text,
  customer_id       text,
  total             numeric(16, 2),
  balance           numeric(16, 2),
  voided            boolean NOT NULL DEFAULT false,
  deleted           boolean NOT NULL DEFAULT false,
  -- The Salesforce id in the document's private marker, when Ledgerline created it.
  source_id         text,
  salesforce_id     text,
  state             text NOT NULL CHECK (state IN ('owed', 'written', 'foreign')),
  qbo_updated_at    timestamptz NOT NULL,
  synced_at         timestamptz NOT NULL,
  written_at        timestamptz,
  PRIMARY KEY (company_id, qbo_id)
);
CREATE INDEX synced_documents_state_idx ON synced_documents (company_id, state);

CREATE TABLE synced_payments (
  company_id     text NOT NULL,
  qbo_id         text NOT NULL,
  total          numeric(16, 2),
  txn_date       text,
  reference      text,
  customer_id    text,
  deleted        boolean NOT NULL DEFAULT false,
  source_id      text,
  -- 'salesforce': Ledgerline exported it; 'quickbooks': received in QuickBooks (Salesforce gets Payment__c records).
  origin         text CHECK (origin IS NULL OR origin IN ('salesforce', 'quickbooks')),
  state          text NOT NULL CHECK (state IN ('owed', 'written', 'foreign')),
  qbo_updated_at timestamptz NOT NULL,
  synced_at      timestamptz NOT NULL,
  written_at     timestamptz,
  PRIMARY KEY (company_id, qbo_id)
);
CREATE INDEX synced_payments_state_idx ON synced_payments (company_id, state);

CREATE TABLE synced_payment_links (
  company_id  text NOT NULL,
  payment_id  text NOT NULL,
  document_id text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('invoice', 'creditMemo')),
  amount      numeric(16, 2) NOT NULL,
  PRIMARY KEY (company_id, payment_id, document_id)
);
CREATE INDEX synced_payment_links_document_idx ON synced_payment_links (company_id, document_id);

CREATE TABLE webhook_events (
  event_id    text PRIMARY KEY,
  realm_id    text NOT NULL,
  type        text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
