//! The columns of the plan: the city, its parks, units, chains, posts, indicators, targets and measures.
use super::Col::{self, Int, Text};

/// `schema_migrations`.
pub(super) const SCHEMA_MIGRATIONS: &[(&str, Col)] = &[("version", Int), ("name", Text), ("applied_at", Int)];

/// `cities`.
pub(super) const CITIES: &[(&str, Col)] = &[
    ("id", Text),
    ("code", Text),
    ("name", Text),
    ("province", Text),
    ("prefecture", Text),
    ("plan_title", Text),
    ("plan_issuer", Text),
    ("plan_issued", Text),
    ("plan_doc_number", Text),
    ("start_year", Int),
    ("target_year", Int),
    ("plan_hash", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("green_from", Int),
    ("amber_from", Int),
    ("regions", Text),
];

/// `parks`.
pub(super) const PARKS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("name", Text),
    ("short_name", Text),
    ("parent_id", Text),
    ("description", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `units`.
pub(super) const UNITS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("name", Text),
    ("short_name", Text),
    ("kind", Text),
    ("park_id", Text),
    ("host_id", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `unit_members`.
pub(super) const UNIT_MEMBERS: &[(&str, Col)] = &[("group_id", Text), ("member_id", Text), ("position", Int)];

/// `chains`.
pub(super) const CHAINS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("name", Text),
    ("short_name", Text),
    ("level", Text),
    ("parent_id", Text),
    ("chief_title", Text),
    ("chief_name", Text),
    ("office_unit_id", Text),
    ("plan_text", Text),
    ("description", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `chain_parks`.
pub(super) const CHAIN_PARKS: &[(&str, Col)] = &[("chain_id", Text), ("park_id", Text), ("position", Int)];

/// `chain_five_ones`.
pub(super) const CHAIN_FIVE_ONES: &[(&str, Col)] = &[
    ("id", Text),
    ("chain_id", Text),
    ("item", Text),
    ("present", Int),
    ("evidence", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `posts`.
pub(super) const POSTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("kind", Text),
    ("title", Text),
    ("unit_id", Text),
    ("chain_id", Text),
    ("head_count", Int),
    ("full_time", Int),
    ("holders", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `indicators`.
pub(super) const INDICATORS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("name", Text),
    ("unit", Text),
    ("scope", Text),
    ("chain_id", Text),
    ("park_id", Text),
    ("aggregation", Text),
    ("direction", Text),
    ("source", Text),
    ("formula", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("rolls_up_from", Text),
    ("due_day", Int),
    ("counts", Text),
];

/// `indicator_targets`.
pub(super) const INDICATOR_TARGETS: &[(&str, Col)] =
    &[("id", Text), ("indicator_id", Text), ("kind", Text), ("year", Int), ("value_scaled", Int), ("unit", Text)];

/// `measures`.
pub(super) const MEASURES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("code", Text),
    ("section", Text),
    ("title", Text),
    ("body", Text),
    ("frequency", Text),
    ("deadline", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("progress_from", Text),
];

/// `measure_units`.
pub(super) const MEASURE_UNITS: &[(&str, Col)] =
    &[("measure_id", Text), ("unit_id", Text), ("role", Text), ("position", Int)];

/// `quotas`.
pub(super) const QUOTAS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("measure_id", Text),
    ("code", Text),
    ("name", Text),
    ("min_count", Int),
    ("unit", Text),
    ("counts", Text),
    ("position", Int),
];
