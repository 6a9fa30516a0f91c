//! Reports drafted when their period ends [O3]: from the 1st of each month every chain office
//! finds last month's report drafted from the data, and the general office last quarter's. A report
//! already drafted (by hand or by another instance) is left as it is.

use super::{monthly, quarterly};
use crate::{Context, Result};
use chainchief_domain::report::ReportKind;
use chainchief_domain::roles::{Grant, Principal, Role};
use chainchief_store::audit::Actor;
use chainchief_store::{dispatch, org};

/// The name the drafts are made under.
pub const DRAFTER: &str = "链长通（按数据起草）";

/// The system acting in `city_id` with `grants` (for drafts and reminders made by no user).
pub fn acting_as(city_id: &str, grants: Vec<Grant>) -> Principal {
    Principal {
        user_id: "system".into(),
        username: "system".into(),
        display_name: "系统".into(),
        city_id: city_id.into(),
        grants,
        parks: vec![],
    }
}

/// Drafts every report of the last month and quarter not yet drafted; returns how many were made.
pub async fn draft_due(ctx: &Context) -> Result<usize> {
    let pool = ctx.store.pool();
    let (month, quarter) = (ctx.clock.last_month().to_string(), ctx.clock.last_quarter().to_string());
    let mut made = 0;
    for city in org::cities(pool).await? {
        let office = acting_as(&city.id, vec![Grant::city(Role::GeneralOffice)]);
        let actor = Actor::system(DRAFTER, Some(&city.id), ctx.clock.now_millis());
        let have = dispatch::list(pool, &city.id).await?;
        let drafted = |kind: ReportKind, chain: Option<&str>, period: &str| {
            have.iter().any(|r| r.kind == kind && r.chain_id.as_deref() == chain && r.period == period)
        };
        for chain in org::chains(pool, &city.id).await? {
            if chain.office_unit_id.is_none() || drafted(ReportKind::Monthly, Some(&chain.id), &month) {
                continue;
            }
            match monthly::draft_monthly(ctx, &office, &actor, &chain, &month).await {
                Ok(_) => made += 1,
                Err(e) => tracing::warn!(chain = %chain.code, error = %e, "drafting the monthly report failed"),
            }
        }
        if !drafted(ReportKind::Quarterly, None, &quarter) {
            match quarterly::draft_quarterly(ctx, &office, &actor, &quarter).await {
                Ok(_) => made += 1,
                Err(e) => tracing::warn!(city = %city.code, error = %e, "drafting the quarterly report failed"),
            }
        }
    }
    Ok(made)
}
