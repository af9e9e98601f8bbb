-- Admin browser sessions of the QuickBooks Authentication pages. The signed cookie names one of these rows, so
-- signing out (deleting the row) ends the session on every instance sharing the store, within its 8 hours.
-- Only a hash of the session id is kept: a copy of this table opens no session.
CREATE TABLE admin_sessions (
  id_hash    text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_expires_at_idx ON admin_sessions (expires_at);
