-- Several instances: which instance executes a run (to tell which one died), the run a resumed run continues, and
-- per-Company export schedules (each fire claimed by exactly one instance).
ALTER TABLE runs ADD COLUMN instance_id text;
ALTER TABLE runs ADD COLUMN resumed_from text;

CREATE TABLE schedules (
  company_id    text PRIMARY KEY,
  every_minutes integer NOT NULL CHECK (every_minutes > 0),
  next_at       timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX schedules_next_at_idx ON schedules (next_at);
