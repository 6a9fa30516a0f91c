-- The regions of the city's 区域分布图 (parks and towns as rectangles of a 100 x 100 grid), as
-- the plan file lays them out, kept as JSON with the city.
ALTER TABLE cities ADD COLUMN regions TEXT NOT NULL DEFAULT '[]';
