-- The text a report was last drafted from the data with, so a redraft can tell the user's own
-- edits from what the data wrote.
ALTER TABLE dispatch_reports ADD COLUMN drafted_body TEXT;
UPDATE dispatch_reports SET drafted_body = body WHERE status = 'draft' AND version = 1;
