-- Money is kept as an exact integer count of 分 (0.01 元) in every column, and the column's name
-- says so. Before, some columns held whole 万元 and others 万元 scaled by 10⁴ (i.e. 元).

-- Whole 万元 → 分 (× 1,000,000).
ALTER TABLE enterprises RENAME COLUMN revenue_wan TO revenue_fen;
UPDATE enterprises SET revenue_fen = revenue_fen * 1000000 WHERE revenue_fen IS NOT NULL;

ALTER TABLE enterprise_years RENAME COLUMN revenue_wan TO revenue_fen;
ALTER TABLE enterprise_years RENAME COLUMN output_wan TO output_fen;
ALTER TABLE enterprise_years RENAME COLUMN tax_wan TO tax_fen;
UPDATE enterprise_years SET revenue_fen = revenue_fen * 1000000, output_fen = output_fen * 1000000,
    tax_fen = tax_fen * 1000000;

ALTER TABLE enterprise_relations RENAME COLUMN value_wan TO value_fen;
UPDATE enterprise_relations SET value_fen = value_fen * 1000000 WHERE value_fen IS NOT NULL;

ALTER TABLE supply_needs RENAME COLUMN annual_value_wan TO annual_value_fen;
UPDATE supply_needs SET annual_value_fen = annual_value_fen * 1000000 WHERE annual_value_fen IS NOT NULL;

ALTER TABLE supply_deals RENAME COLUMN value_wan TO value_fen;
UPDATE supply_deals SET value_fen = value_fen * 1000000;

-- 元 (万元 scaled by 10⁴) → 分 (× 100).
ALTER TABLE projects RENAME COLUMN planned_wan TO planned_fen;
ALTER TABLE projects RENAME COLUMN signed_wan TO signed_fen;
UPDATE projects SET planned_fen = planned_fen * 100, signed_fen = signed_fen * 100;

ALTER TABLE project_investments RENAME COLUMN planned_wan TO planned_fen;
ALTER TABLE project_investments RENAME COLUMN actual_wan TO actual_fen;
UPDATE project_investments SET planned_fen = planned_fen * 100, actual_fen = actual_fen * 100;
