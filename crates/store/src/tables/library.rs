//! The columns of the enterprise library, chain maps, accounts, sessions and the audit log.
use super::Col::{self, Int, Text};

/// `enterprises`.
pub(super) const ENTERPRISES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("name", Text),
    ("short_name", Text),
    ("credit_code", Text),
    ("is_demo", Int),
    ("park_id", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("is_local", Int),
    ("scale", Text),
    ("ownership", Text),
    ("listed", Int),
    ("categories", Text),
    ("revenue_fen", Int),
    ("employees", Int),
    ("products", Text),
    ("contacts", Text),
    ("code_override_reason", Text),
    ("town", Text),
    ("technologies", Text),
    ("safety_diagnosis_on", Text),
    ("founded_year", Int),
];

/// `enterprise_years`.
pub(super) const ENTERPRISE_YEARS: &[(&str, Col)] = &[
    ("enterprise_id", Text),
    ("year", Int),
    ("revenue_fen", Int),
    ("output_fen", Int),
    ("tax_fen", Int),
    ("employees", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("rd_fen", Int),
    ("main_business_fen", Int),
    ("debt_ratio", Int),
];

/// `enterprise_chains`.
pub(super) const ENTERPRISE_CHAINS: &[(&str, Col)] = &[("enterprise_id", Text), ("chain_id", Text)];

/// `chain_nodes`.
pub(super) const CHAIN_NODES: &[(&str, Col)] = &[
    ("id", Text),
    ("chain_id", Text),
    ("code", Text),
    ("name", Text),
    ("stage", Text),
    ("parent_id", Text),
    ("key_node", Int),
    ("products", Text),
    ("industry_codes", Text),
    ("position", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `chain_edges`.
pub(super) const CHAIN_EDGES: &[(&str, Col)] =
    &[("id", Text), ("chain_id", Text), ("from_id", Text), ("to_id", Text), ("updated_at", Int), ("updated_by", Text)];

/// `enterprise_nodes`.
pub(super) const ENTERPRISE_NODES: &[(&str, Col)] =
    &[("enterprise_id", Text), ("node_id", Text), ("updated_at", Int), ("updated_by", Text)];

/// `enterprise_relations`.
pub(super) const ENTERPRISE_RELATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("supplier_id", Text),
    ("customer_id", Text),
    ("product", Text),
    ("value_fen", Int),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `import_proposals`.
pub(super) const IMPORT_PROPOSALS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("file_name", Text),
    ("row_number", Int),
    ("name_in_file", Text),
    ("proposed_row", Text),
    ("status", Text),
    ("reason", Text),
    ("proposed_at", Int),
    ("proposed_by", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `enterprise_tiers`.
pub(super) const ENTERPRISE_TIERS: &[(&str, Col)] = &[
    ("id", Text),
    ("enterprise_id", Text),
    ("tier", Text),
    ("since", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `rating_rubrics`.
pub(super) const RATING_RUBRICS: &[(&str, Col)] =
    &[("chain_id", Text), ("rubric_json", Text), ("version", Int), ("updated_at", Int), ("updated_by", Text)];

/// `node_rating_overrides`.
pub(super) const NODE_RATING_OVERRIDES: &[(&str, Col)] = &[
    ("node_id", Text),
    ("rating", Text),
    ("reason", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `map_snapshots`.
pub(super) const MAP_SNAPSHOTS: &[(&str, Col)] = &[
    ("id", Text),
    ("chain_id", Text),
    ("year", Int),
    ("content_json", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `users`.
pub(super) const USERS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("username", Text),
    ("display_name", Text),
    ("password_hash", Text),
    ("unit_id", Text),
    ("disabled", Int),
    ("failed_logins", Int),
    ("locked_until", Int),
    ("password_changed_at", Int),
    ("version", Int),
    ("created_at", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("must_change_password", Int),
    ("totp_secret", Text),
    ("totp_last_step", Int),
];

/// `password_history`.
pub(super) const PASSWORD_HISTORY: &[(&str, Col)] =
    &[("id", Text), ("user_id", Text), ("password_hash", Text), ("set_at", Int)];

/// `login_failures`.
pub(super) const LOGIN_FAILURES: &[(&str, Col)] =
    &[("user_id", Text), ("ip", Text), ("failures", Int), ("locked_until", Int)];

/// `user_roles`.
pub(super) const USER_ROLES: &[(&str, Col)] =
    &[("id", Text), ("user_id", Text), ("role", Text), ("chain_id", Text), ("unit_id", Text), ("enterprise_id", Text)];

/// `sessions`.
pub(super) const SESSIONS: &[(&str, Col)] =
    &[("id", Text), ("user_id", Text), ("csrf_token", Text), ("created_at", Int), ("last_seen_at", Int), ("ip", Text)];

/// `audit_log`.
pub(super) const AUDIT_LOG: &[(&str, Col)] = &[
    ("seq", Int),
    ("id", Text),
    ("city_id", Text),
    ("at", Int),
    ("actor_id", Text),
    ("actor_name", Text),
    ("action", Text),
    ("entity", Text),
    ("entity_id", Text),
    ("before_json", Text),
    ("after_json", Text),
    ("ip", Text),
    ("prev_hash", Text),
    ("hash", Text),
];
