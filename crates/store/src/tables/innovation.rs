//! Columns of the innovation and cultivation tables.

use super::Col::{self, Int, Text};

/// `innovation_carriers`.
pub(super) const INNOVATION_CARRIERS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("name", Text),
    ("level", Text),
    ("since_year", Int),
    ("chain_id", Text),
    ("node_id", Text),
    ("host_enterprise_id", Text),
    ("host_name", Text),
    ("approval", Text),
    ("purpose", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `carrier_members`.
pub(super) const CARRIER_MEMBERS: &[(&str, Col)] = &[
    ("id", Text),
    ("carrier_id", Text),
    ("enterprise_id", Text),
    ("name", Text),
    ("member_type", Text),
    ("role", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `carrier_activities`.
pub(super) const CARRIER_ACTIVITIES: &[(&str, Col)] = &[
    ("id", Text),
    ("carrier_id", Text),
    ("held_on", Text),
    ("title", Text),
    ("enterprise_id", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `carrier_evaluations`.
pub(super) const CARRIER_EVALUATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("carrier_id", Text),
    ("year", Int),
    ("band", Text),
    ("score", Int),
    ("note", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `key_technologies`.
pub(super) const KEY_TECHNOLOGIES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("chain_id", Text),
    ("node_id", Text),
    ("name", Text),
    ("category", Text),
    ("owner_enterprise_id", Text),
    ("partners", Text),
    ("consortium_id", Text),
    ("stage", Text),
    ("target_year", Int),
    ("goal", Text),
    ("progress", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `technology_stages`.
pub(super) const TECHNOLOGY_STAGES: &[(&str, Col)] = &[
    ("id", Text),
    ("technology_id", Text),
    ("stage", Text),
    ("reached_on", Text),
    ("note", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `innovation_results`.
pub(super) const INNOVATION_RESULTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("kind", Text),
    ("title", Text),
    ("number", Text),
    ("granted_year", Int),
    ("reward_fen", Int),
    ("created_at", Int),
    ("created_by", Text),
];

/// `cultivation_marks`.
pub(super) const CULTIVATION_MARKS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("tier", Text),
    ("owner", Text),
    ("next_step", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `cultivation_notes`.
pub(super) const CULTIVATION_NOTES: &[(&str, Col)] =
    &[("id", Text), ("mark_id", Text), ("noted_on", Text), ("body", Text), ("created_at", Int), ("created_by", Text)];
