-- QuickBooks reads (metered data-out calls) per Company and calendar month (UTC, 'YYYY-MM'): the monthly read budget
-- is checked against them from every instance. And the refresh token's hard expiry (five years from consent) as
-- QuickBooks' token endpoint states it (null until it has).
CREATE TABLE qbo_reads (
  company_id text NOT NULL,
  month      text NOT NULL,
  reads      bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, month)
);
CREATE INDEX qbo_reads_month_idx ON qbo_reads (month);

ALTER TABLE qbo_tokens ADD COLUMN refresh_token_hard_expires_at timestamptz;
