//! What waits for the signed-in user: figures to report, reports to submit or acknowledge,
//! problems to assign, work on or confirm, imported rows to review — each with where to act and whether it is late. The
//! home page starts with this list.

use crate::reporting::{Reminder, reminders, report_reminders};
use crate::{Context, Result};
use chainchief_domain::roles::Principal;
use chainchief_domain::supervision::{Light, ProblemStatus};

/// Everything waiting for `p`, late first.
pub async fn list(ctx: &Context, p: &Principal) -> Result<Vec<Reminder>> {
    let mut out = reminders(ctx, p).await?;
    out.extend(report_reminders(ctx, p).await?);
    for r in crate::reports::dispatch::readable(ctx, p).await? {
        let may = crate::reports::dispatch::rights(p, &r.r);
        if may.can_chief_ack || may.can_office_ack {
            out.push(Reminder {
                what: "待签收",
                text: format!("{}（已提交）", r.r.title),
                href: format!("/dispatch/{}", r.r.id),
                late: false,
            });
        }
    }
    for r in crate::problems::rows(ctx, p).await? {
        let href = format!("/problems/{}", r.p.id);
        let deadline = r.p.deadline.as_deref().map(|d| format!("（限{d}前办结）")).unwrap_or_default();
        let late = r.light == Some(Light::Red);
        let (what, text) = match r.p.status {
            ProblemStatus::Raised if crate::problems::may_assign(p, &r) => ("待交办", r.p.title.clone()),
            // Work waits for the units it was given to; the general office oversees it (escalations).
            ProblemStatus::Assigned if r.units.iter().any(|u| p.holds_unit(&u.0)) => {
                ("待办理", format!("{}{deadline}", r.p.title))
            }
            ProblemStatus::Resolved if crate::problems::may_confirm(p, &r) => ("待确认", r.p.title.clone()),
            _ => continue,
        };
        out.push(Reminder { what, text, href, late });
    }
    for row in crate::factors::rows(ctx, p).await? {
        if let Some(what) = crate::factors::waiting_on(p, &row.r) {
            let deadline = row.r.deadline.as_deref().filter(|_| what == "待答复").map(|d| format!("（限{d}前答复）"));
            out.push(Reminder {
                what,
                text: format!("{}：{}{}", row.r.kind.label(), row.r.title, deadline.unwrap_or_default()),
                href: format!("/requests/{}", row.r.id),
                late: what == "待答复" && row.late(),
            });
        }
    }
    for h in crate::import_reviews::waiting(ctx, p).await? {
        let x = &h.proposal;
        out.push(Reminder {
            what: "待审核",
            text: format!("{}：{} 导入的“{}”第{}行", x.enterprise_name, x.proposed_by, x.file_name, x.row_number),
            href: "/enterprises/reviews".into(),
            late: false,
        });
    }
    out.sort_by_key(|r| !r.late);
    Ok(out)
}
