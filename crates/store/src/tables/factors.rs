//! Columns of the factor-guarantee tables.

use super::Col::{self, Int, Text};

/// `factor_routes`.
pub(super) const FACTOR_ROUTES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("unit_id", Text),
    ("working_days", Int),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `relief_campaigns`.
pub(super) const RELIEF_CAMPAIGNS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("name", Text),
    ("leader", Text),
    ("unit_id", Text),
    ("starts_on", Text),
    ("ends_on", Text),
    ("goal", Text),
    ("results", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `campaign_actions`.
pub(super) const CAMPAIGN_ACTIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("campaign_id", Text),
    ("done_on", Text),
    ("action", Text),
    ("result", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `factor_requests`.
pub(super) const FACTOR_REQUESTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("title", Text),
    ("detail", Text),
    ("enterprise_id", Text),
    ("project_id", Text),
    ("chain_id", Text),
    ("campaign_id", Text),
    ("unit_id", Text),
    ("asked", Int),
    ("raised_on", Text),
    ("deadline", Text),
    ("status", Text),
    ("outcome", Text),
    ("granted", Int),
    ("granted_on", Text),
    ("reason", Text),
    ("answered_at", Int),
    ("answered_by", Text),
    ("rating", Text),
    ("rating_comment", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `chain_banks`.
pub(super) const CHAIN_BANKS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("chain_id", Text),
    ("bank", Text),
    ("partners", Text),
    ("contact", Text),
    ("credit_policy", Text),
    ("credit_line_fen", Int),
    ("starts_on", Text),
    ("ends_on", Text),
    ("desks", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];
