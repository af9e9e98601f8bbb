-- The journal names the accounting system's id neutrally (QuickBooks Online, QuickBooks Desktop, ...), and knows
-- the record kinds payments and credits bring.
ALTER TABLE journal_entries RENAME COLUMN qbo_id TO target_id;
ALTER TABLE journal_entries DROP CONSTRAINT IF EXISTS journal_entries_record_type_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_record_type_check
  CHECK (record_type IN ('customer', 'product', 'invoice', 'payment', 'credit_memo', 'sales_receipt'));
