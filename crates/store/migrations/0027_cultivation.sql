-- The facts the reserve criteria look at beyond revenue (R&D spend, main-business revenue, debt
-- ratio in % scaled by 10^4), and the candidates an office is actively cultivating towards a
-- goal, with the one responsible and the follow-up notes.
ALTER TABLE enterprise_years ADD COLUMN rd_fen BIGINT;
ALTER TABLE enterprise_years ADD COLUMN main_business_fen BIGINT;
ALTER TABLE enterprise_years ADD COLUMN debt_ratio BIGINT;

CREATE TABLE cultivation_marks (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    tier TEXT NOT NULL,
    owner TEXT NOT NULL,
    next_step TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (enterprise_id, tier)
);

CREATE TABLE cultivation_notes (
    id TEXT PRIMARY KEY,
    mark_id TEXT NOT NULL REFERENCES cultivation_marks(id) DEFERRABLE INITIALLY DEFERRED,
    noted_on TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX cultivation_notes_of ON cultivation_notes (mark_id, noted_on);
