-- Enterprise facts by year (revenue, output, tax, employees) and the remaining profile fields.
ALTER TABLE enterprises ADD COLUMN town TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN technologies TEXT NOT NULL DEFAULT '';

CREATE TABLE enterprise_years (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    revenue_wan BIGINT,
    output_wan BIGINT,
    tax_wan BIGINT,
    employees BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);
