-- The year an enterprise was founded (成立年份): the reserve library's years in business.
ALTER TABLE enterprises ADD COLUMN founded_year BIGINT;
