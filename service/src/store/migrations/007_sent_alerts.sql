-- Alerts sent to a company's admins (Salesforce custom notification and email), one row per event: a run that failed
-- or ended with errors, an authorization in its warning window, a Web Connector gone quiet. The row is claimed before
-- sending, so two instances or two checks never send one event twice.
CREATE TABLE sent_alerts (
  event_key  text PRIMARY KEY,
  company_id text NOT NULL,
  kind       text NOT NULL,
  title      text NOT NULL,
  sent_at    timestamptz NOT NULL
);
CREATE INDEX sent_alerts_company_idx ON sent_alerts (company_id, sent_at);
