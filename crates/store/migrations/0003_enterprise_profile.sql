-- Enterprise profile: contacts, the audited override of a legacy credit code, one code per city.
ALTER TABLE enterprises ADD COLUMN contacts TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN code_override_reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX enterprises_city_credit_code ON enterprises (city_id, credit_code);
