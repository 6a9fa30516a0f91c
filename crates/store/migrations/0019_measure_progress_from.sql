-- A measure's progress may come from the reports it is about (the chain offices' monthly reports,
-- the general office's quarterly ones) instead of progress reports of its own.
ALTER TABLE measures ADD COLUMN progress_from TEXT NOT NULL DEFAULT '';
