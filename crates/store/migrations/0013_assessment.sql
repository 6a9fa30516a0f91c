-- Assessment of chain offices [O4]: scores entered by hand with their evidence, and published
-- rounds (mid-year, year-end) frozen as they were.
CREATE TABLE assessment_scores (
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    round TEXT NOT NULL,
    chain_id TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
    item_code TEXT NOT NULL,
    score BIGINT NOT NULL,
    evidence TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (city_id, round, chain_id, item_code)
);

CREATE TABLE assessment_publications (
    id TEXT PRIMARY KEY,
    city_id TEXT NOT NULL REFERENCES cities(id) DEFERRABLE INITIALLY DEFERRED,
    round TEXT NOT NULL,
    content_json TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (city_id, round)
);
