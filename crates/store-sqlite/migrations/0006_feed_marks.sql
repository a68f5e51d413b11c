-- Feed completeness: each transaction records when it was made available to the feed, and each
-- source account keeps the feed's high-water mark, so a statement can report an end from which
-- the next download misses nothing (docs/architecture.md, "How the feed loses nothing").
-- Transactions stored before this migration count as made available now: each is offered once
-- more at its account's next download, which also delivers any that an earlier selection by
-- date alone had missed. Accounting software de-duplicates by FITID.

ALTER TABLE source_accounts ADD COLUMN feed_mark INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bank_transactions ADD COLUMN available_at INTEGER NOT NULL DEFAULT 0;

UPDATE bank_transactions SET available_at = CAST(unixepoch('now', 'subsec') * 1000000 AS INTEGER);
UPDATE source_accounts
SET feed_mark = MAX(created, CAST(unixepoch('now', 'subsec') * 1000000 AS INTEGER));

CREATE INDEX bank_transactions_by_available
    ON bank_transactions(connection_id, account_id, available_at);
