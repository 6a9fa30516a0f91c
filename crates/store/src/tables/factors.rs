//! Columns of the factor-guarantee tables: requests, banks, guarantees, policies, funds, talent,
//! and the liaisons' work.

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

/// `policies`.
pub(super) const POLICIES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("title", Text),
    ("doc_number", Text),
    ("level", Text),
    ("issuer", Text),
    ("tags", Text),
    ("valid_from", Text),
    ("valid_to", Text),
    ("summary", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `policy_conditions`.
pub(super) const POLICY_CONDITIONS: &[(&str, Col)] =
    &[("id", Text), ("policy_id", Text), ("position", Int), ("criterion", Text), ("op", Text), ("value", Text)];

/// `policy_applications`.
pub(super) const POLICY_APPLICATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("policy_id", Text),
    ("enterprise_id", Text),
    ("applied_on", Text),
    ("asked_fen", Int),
    ("note", Text),
    ("status", Text),
    ("granted_fen", Int),
    ("decided_on", Text),
    ("reason", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `funds`.
pub(super) const FUNDS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("name", Text),
    ("kind", Text),
    ("year", Int),
    ("budget_fen", Int),
    ("allocated_fen", Int),
    ("unit_id", Text),
    ("note", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `fund_allocations`.
pub(super) const FUND_ALLOCATIONS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("fund_id", Text),
    ("enterprise_id", Text),
    ("project_id", Text),
    ("purpose", Text),
    ("decision", Text),
    ("amount_fen", Int),
    ("decided_on", Text),
    ("disbursed_fen", Int),
    ("disbursed_on", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `talent_intakes`.
pub(super) const TALENT_INTAKES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("enterprise_id", Text),
    ("year", Int),
    ("high_end", Int),
    ("skilled", Int),
    ("graduates", Int),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `talent_aims`.
pub(super) const TALENT_AIMS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("year", Int),
    ("high_end", Int),
    ("skilled", Int),
    ("graduates", Int),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `school_partnerships`.
pub(super) const SCHOOL_PARTNERSHIPS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("kind", Text),
    ("name", Text),
    ("school", Text),
    ("enterprise_id", Text),
    ("chain_id", Text),
    ("status", Text),
    ("since", Text),
    ("note", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `guarantors`.
pub(super) const GUARANTORS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("name", Text),
    ("kind", Text),
    ("capacity_fen", Int),
    ("partners", Text),
    ("contact", Text),
    ("note", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `guarantee_cases`.
pub(super) const GUARANTEE_CASES: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("guarantor_id", Text),
    ("enterprise_id", Text),
    ("request_id", Text),
    ("bank", Text),
    ("amount_fen", Int),
    ("started_on", Text),
    ("status", Text),
    ("paid_fen", Int),
    ("closed_on", Text),
    ("note", Text),
    ("version", Int),
    ("created_at", Int),
    ("created_by", Text),
    ("updated_at", Int),
    ("updated_by", Text),
];

/// `liaison_logs`.
pub(super) const LIAISON_LOGS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("chain_id", Text),
    ("done_on", Text),
    ("counterpart", Text),
    ("content", Text),
    ("result", Text),
    ("created_at", Int),
    ("created_by", Text),
];

/// `item_comments`.
pub(super) const ITEM_COMMENTS: &[(&str, Col)] = &[
    ("id", Text),
    ("city_id", Text),
    ("entity", Text),
    ("entity_id", Text),
    ("body", Text),
    ("created_at", Int),
    ("created_by", Text),
];
