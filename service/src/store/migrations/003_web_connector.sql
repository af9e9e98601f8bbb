-- QuickBooks Desktop: one Web Connector user per Company. The password is kept only as a salted scrypt hash;
-- OwnerID and FileID are the GUIDs of the Company's .qwc file (they must stay the same once it is imported).
CREATE TABLE web_connector_users (
  company_id        text PRIMARY KEY,
  username          text NOT NULL UNIQUE,
  password_hash     text NOT NULL,
  owner_id          text NOT NULL,
  file_id           text NOT NULL,
  run_every_minutes integer NOT NULL DEFAULT 10 CHECK (run_every_minutes BETWEEN 1 AND 1440),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
