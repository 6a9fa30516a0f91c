//! Every table and column of the schema, as backup, restore and their verification copy them.
//! A test compares this list with the migrated database, so a new column cannot be forgotten.

/// The type of a stored column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// Text (nullable or not).
    Text,
    /// 64-bit integer (nullable or not).
    Int,
}

mod factors;
mod innovation;
mod library;
mod plan;
mod work;

/// Every table with its columns, parents before children; the first column orders the rows.
pub const TABLES: &[(&str, &[(&str, Col)])] = &[
    ("schema_migrations", plan::SCHEMA_MIGRATIONS),
    ("cities", plan::CITIES),
    ("parks", plan::PARKS),
    ("units", plan::UNITS),
    ("unit_members", plan::UNIT_MEMBERS),
    ("chains", plan::CHAINS),
    ("chain_parks", plan::CHAIN_PARKS),
    ("chain_five_ones", plan::CHAIN_FIVE_ONES),
    ("posts", plan::POSTS),
    ("indicators", plan::INDICATORS),
    ("indicator_targets", plan::INDICATOR_TARGETS),
    ("measures", plan::MEASURES),
    ("measure_units", plan::MEASURE_UNITS),
    ("quotas", plan::QUOTAS),
    ("enterprises", library::ENTERPRISES),
    ("enterprise_years", library::ENTERPRISE_YEARS),
    ("enterprise_chains", library::ENTERPRISE_CHAINS),
    ("chain_nodes", library::CHAIN_NODES),
    ("chain_edges", library::CHAIN_EDGES),
    ("enterprise_nodes", library::ENTERPRISE_NODES),
    ("enterprise_relations", library::ENTERPRISE_RELATIONS),
    ("enterprise_tiers", library::ENTERPRISE_TIERS),
    ("import_proposals", library::IMPORT_PROPOSALS),
    ("rating_rubrics", library::RATING_RUBRICS),
    ("node_rating_overrides", library::NODE_RATING_OVERRIDES),
    ("map_snapshots", library::MAP_SNAPSHOTS),
    ("users", library::USERS),
    ("user_roles", library::USER_ROLES),
    ("password_history", library::PASSWORD_HISTORY),
    ("login_failures", library::LOGIN_FAILURES),
    ("sessions", library::SESSIONS),
    ("audit_log", library::AUDIT_LOG),
    ("indicator_values", work::INDICATOR_VALUES),
    ("indicator_revisions", work::INDICATOR_REVISIONS),
    ("indicator_value_history", work::INDICATOR_VALUE_HISTORY),
    ("investment_targets", work::INVESTMENT_TARGETS),
    ("target_nodes", work::TARGET_NODES),
    ("target_contacts", work::TARGET_CONTACTS),
    ("projects", work::PROJECTS),
    ("project_stages", work::PROJECT_STAGES),
    ("events", work::EVENTS),
    ("event_projects", work::EVENT_PROJECTS),
    ("problems", work::PROBLEMS),
    ("problem_units", work::PROBLEM_UNITS),
    ("problem_notes", work::PROBLEM_NOTES),
    ("project_investments", work::PROJECT_INVESTMENTS),
    ("project_milestones", work::PROJECT_MILESTONES),
    ("board_publications", work::BOARD_PUBLICATIONS),
    ("supply_needs", work::SUPPLY_NEEDS),
    ("supply_capabilities", work::SUPPLY_CAPABILITIES),
    ("supply_deals", work::SUPPLY_DEALS),
    ("attachments", work::ATTACHMENTS),
    ("project_checkpoints", work::PROJECT_CHECKPOINTS),
    ("task_updates", work::TASK_UPDATES),
    ("assessment_scores", work::ASSESSMENT_SCORES),
    ("assessment_publications", work::ASSESSMENT_PUBLICATIONS),
    ("dispatch_reports", work::DISPATCH_REPORTS),
    ("meetings", work::MEETINGS),
    ("action_items", work::ACTION_ITEMS),
    ("notifications", work::NOTIFICATIONS),
    ("innovation_carriers", innovation::INNOVATION_CARRIERS),
    ("carrier_members", innovation::CARRIER_MEMBERS),
    ("carrier_activities", innovation::CARRIER_ACTIVITIES),
    ("carrier_evaluations", innovation::CARRIER_EVALUATIONS),
    ("key_technologies", innovation::KEY_TECHNOLOGIES),
    ("technology_stages", innovation::TECHNOLOGY_STAGES),
    ("innovation_results", innovation::INNOVATION_RESULTS),
    ("cultivation_marks", innovation::CULTIVATION_MARKS),
    ("cultivation_notes", innovation::CULTIVATION_NOTES),
    ("factor_routes", factors::FACTOR_ROUTES),
    ("relief_campaigns", factors::RELIEF_CAMPAIGNS),
    ("campaign_actions", factors::CAMPAIGN_ACTIONS),
    ("factor_requests", factors::FACTOR_REQUESTS),
    ("chain_banks", factors::CHAIN_BANKS),
    ("audit_head", work::AUDIT_HEAD),
    ("leases", work::LEASES),
];
