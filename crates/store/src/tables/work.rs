//! The columns of the work of the plan: figures, investment, projects, problems, reports, meetings and reminders.
use super::Col::{self, Int, Text};

/// `indicator_values`.
pub(super) const INDICATOR_VALUES: &[(&str, Col)] = &[
    ("id", Text),
    ("indicator_id", Text),
    ("enterprise_key", Text),
    ("period", Text),
    ("value_scaled", Int),
    ("unit", Text),
    ("source", Text),
    ("source_file", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `indicator_revisions`.
pub(super) const INDICATOR_REVISIONS: &[(&str, Col)] = &[("indicator_id", Text), ("revision", Int)];

/// `indicator_value_history`.
pub(super) const INDICATOR_VALUE_HISTORY: &[(&str, Col)] = &[
    ("id", Text),
    ("value_id", Text),
    ("value_scaled", Int),
    ("source", Text),
    ("changed_at", Int),
    ("changed_by", Text),
    ("entered_by", Text),
    ("entered_at", Int),
    ("source_file", Text),
];

/// `investment_targets`.
pub(super) const INVESTMENT_TARGETS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("owner_unit_id", Text),
    ("status", Text),
    ("note", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `target_nodes`.
pub(super) const TARGET_NODES: &[(&str, Col)] = &[("target_id", Text), ("node_id", Text)];

/// `target_contacts`.
pub(super) const TARGET_CONTACTS: &[(&str, Col)] = &[
    ("id", Text),
    ("target_id", Text),
    ("contact_on", Text),
    ("kind", Text),
    ("summary", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `projects`.
pub(super) const PROJECTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("name", Text),
    ("company_name", Text),
    ("target_id", Text),
    ("chain_id", Text),
    ("node_id", Text),
    ("park_id", Text),
    ("lead_unit_id", Text),
    ("kind", Text),
    ("method", Text),
    ("stage", Text),
    ("major", Int),
    ("planned_fen", Int),
    ("signed_fen", Int),
    ("signed_on", Text),
    ("approval_on", Text),
    ("started_on", Text),
    ("producing_on", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `project_stages`.
pub(super) const PROJECT_STAGES: &[(&str, Col)] = &[
    ("id", Text),
    ("project_id", Text),
    ("from_stage", Text),
    ("to_stage", Text),
    ("reason", Text),
    ("moved_at", Int),
    ("moved_by", Text),
];

/// `events`.
pub(super) const EVENTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("title", Text),
    ("held_on", Text),
    ("place", Text),
    ("participants", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `event_projects`.
pub(super) const EVENT_PROJECTS: &[(&str, Col)] = &[("event_id", Text), ("project_id", Text)];

/// `problems`.
pub(super) const PROBLEMS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("title", Text),
    ("detail", Text),
    ("chain_id", Text),
    ("project_id", Text),
    ("enterprise_id", Text),
    ("raised_by", Text),
    ("raised_at", Int),
    ("deadline", Text),
    ("status", Text),
    ("resolution", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `problem_units`.
pub(super) const PROBLEM_UNITS: &[(&str, Col)] = &[("problem_id", Text), ("unit_id", Text), ("role", Text)];

/// `problem_notes`.
pub(super) const PROBLEM_NOTES: &[(&str, Col)] =
    &[("id", Text), ("problem_id", Text), ("kind", Text), ("body", Text), ("created_at", Int), ("created_by", Text)];

/// `project_investments`.
pub(super) const PROJECT_INVESTMENTS: &[(&str, Col)] = &[
    ("project_id", Text),
    ("period", Text),
    ("planned_fen", Int),
    ("actual_fen", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `project_milestones`.
pub(super) const PROJECT_MILESTONES: &[(&str, Col)] = &[
    ("id", Text),
    ("project_id", Text),
    ("name", Text),
    ("planned_on", Text),
    ("actual_on", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `board_publications`.
pub(super) const BOARD_PUBLICATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("period", Text),
    ("content_json", Text),
    ("published_at", Int),
    ("published_by", Text),
];

/// `supply_needs`.
pub(super) const SUPPLY_NEEDS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("part", Text),
    ("process", Text),
    ("annual_volume", Text),
    ("annual_value_fen", Int),
    ("status", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `supply_capabilities`.
pub(super) const SUPPLY_CAPABILITIES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("part", Text),
    ("process", Text),
    ("note", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `supply_deals`.
pub(super) const SUPPLY_DEALS: &[(&str, Col)] = &[
    ("id", Text),
    ("need_id", Text),
    ("supplier_id", Text),
    ("value_fen", Int),
    ("signed_on", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `attachments`.
pub(super) const ATTACHMENTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("owner_kind", Text),
    ("owner_id", Text),
    ("name", Text),
    ("content_type", Text),
    ("size", Int),
    ("sm3", Text),
    ("content_b64", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `project_checkpoints`.
pub(super) const PROJECT_CHECKPOINTS: &[(&str, Col)] = &[
    ("project_id", Text),
    ("checkpoint", Text),
    ("done_on", Text),
    ("attachment_id", Text),
    ("note", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `task_updates`.
pub(super) const TASK_UPDATES: &[(&str, Col)] = &[
    ("id", Text),
    ("measure_id", Text),
    ("unit_id", Text),
    ("body", Text),
    ("done", Int),
    ("reported_on", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `assessment_scores`.
pub(super) const ASSESSMENT_SCORES: &[(&str, Col)] = &[
    ("city_id", Text),
    ("round", Text),
    ("chain_id", Text),
    ("item_code", Text),
    ("score", Int),
    ("evidence", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `assessment_publications`.
pub(super) const ASSESSMENT_PUBLICATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("round", Text),
    ("content_json", Text),
    ("published_at", Int),
    ("published_by", Text),
];

/// `dispatch_reports`.
pub(super) const DISPATCH_REPORTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("chain_id", Text),
    ("period", Text),
    ("title", Text),
    ("body", Text),
    ("status", Text),
    ("submitted_at", Int),
    ("submitted_by", Text),
    ("chief_ack_at", Int),
    ("chief_ack_by", Text),
    ("office_ack_at", Int),
    ("office_ack_by", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
    ("drafted_body", Text),
];

/// `meetings`.
pub(super) const MEETINGS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("title", Text),
    ("held_on", Text),
    ("chair", Text),
    ("attendees", Text),
    ("minutes", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `action_items`.
pub(super) const ACTION_ITEMS: &[(&str, Col)] = &[
    ("id", Text),
    ("meeting_id", Text),
    ("body", Text),
    ("unit_id", Text),
    ("deadline", Text),
    ("status", Text),
    ("done_note", Text),
    ("version", Int),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `notifications`.
pub(super) const NOTIFICATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("dedupe_key", Text),
    ("body", Text),
    ("href", Text),
    ("created_at", Int),
    ("attempts", Int),
    ("delivered_at", Int),
    ("last_error", Text),
    ("next_attempt_at", Int),
    ("channel", Text),
];

/// `audit_head`.
pub(super) const AUDIT_HEAD: &[(&str, Col)] = &[("id", Int), ("seq", Int), ("hash", Text)];

/// `leases`.
pub(super) const LEASES: &[(&str, Col)] = &[("name", Text), ("holder", Text), ("expires_at", Int)];
