-- The column that breaks ties between rows created in the same microsecond is named `rowid`, as
-- SQLite's built-in one is, so the shared statements order by the same name on both backends
-- (`rowid` is an ordinary identifier here). Renaming keeps every value and index.

ALTER TABLE companies RENAME COLUMN seq TO rowid;
ALTER TABLE connections RENAME COLUMN seq TO rowid;
ALTER TABLE source_accounts RENAME COLUMN seq TO rowid;
ALTER TABLE credentials RENAME COLUMN seq TO rowid;
ALTER TABLE push_operations RENAME COLUMN seq TO rowid;
ALTER TABLE outbox_events RENAME COLUMN seq TO rowid;
ALTER TABLE bank_transactions RENAME COLUMN seq TO rowid;
