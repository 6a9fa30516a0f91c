//! Imported rows held for review [E4]: an import never changes an enterprise its importer may not
//! change; such a row waits for someone who may change that enterprise (the general office, an
//! office of one of its chains, the enterprise itself), who sees the fields it would change and
//! accepts or rejects it.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::org::Scale;
use chainchief_domain::roles::Principal;
use chainchief_domain::text::required;
use chainchief_store::enterprises::{chains_of, memberships};
use chainchief_store::library_import::{self as store, Kept, Proposal};
use std::collections::HashMap;

/// Who decides a held row: whoever may change the enterprise it names.
pub fn may_decide(p: &Principal, enterprise_id: &str, chains: &[String]) -> bool {
    crate::enterprises::may_write(p, enterprise_id, chains)
}

/// A held row and what accepting it would change on its enterprise.
pub struct Held {
    /// The row as held.
    pub proposal: Proposal,
    /// The fields it would change: (label, now, after).
    pub changes: Vec<(&'static str, String, String)>,
    /// What it would add: the chain or node it places the enterprise on, tiers.
    pub additions: Vec<String>,
}

/// The held rows the caller may decide, oldest first.
pub async fn waiting(ctx: &Context, p: &Principal) -> Result<Vec<Held>> {
    let pool = ctx.store.pool();
    let all = store::pending(pool, &p.city_id).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let members = memberships(pool, &p.city_id).await?;
    let parks: HashMap<String, String> =
        chainchief_store::org::parks(pool, &p.city_id).await?.into_iter().map(|k| (k.id, k.name)).collect();
    let chains: HashMap<String, String> =
        chainchief_store::org::chains(pool, &p.city_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let none = Vec::new();
    let mut out = Vec::new();
    for x in all {
        let on = members.get(&x.enterprise_id).unwrap_or(&none);
        if !may_decide(p, &x.enterprise_id, on) {
            continue;
        }
        let mut additions = Vec::new();
        if let Some(c) = x.row.chain_id.as_ref().filter(|c| !on.contains(c)) {
            additions.push(format!("加入{}", chains.get(c).map_or("", String::as_str)));
        }
        if let (Some(c), Some(n)) = (&x.row.chain_id, &x.row.node_id) {
            let node = chainchief_store::maps::node(pool, c, n).await?;
            additions.push(format!("放到环节“{}”", node.name));
        }
        additions.extend(x.row.tiers.iter().map(|t| format!("梯队：{}", t.label())));
        out.push(Held { changes: changes(&x, &parks), additions, proposal: x });
    }
    Ok(out)
}

/// How a field of the enterprise is shown.
type Shown<'a> = dyn Fn(&Kept) -> String + 'a;

/// What accepting `x` would change on its enterprise, field by field.
fn changes(x: &Proposal, parks: &HashMap<String, String>) -> Vec<(&'static str, String, String)> {
    let after = x.current.with(&x.row);
    let park = |k: &Kept| k.park_id.as_ref().and_then(|id| parks.get(id)).cloned().unwrap_or_default();
    let fields: [(&'static str, &Shown<'_>); 9] = [
        ("简称", &|k| k.short_name.clone()),
        ("统一社会信用代码", &|k| k.credit_code.clone().unwrap_or_default()),
        ("所在园区", &park),
        ("规模", &|k| Scale::from_code(&k.scale).map(|s| s.label().to_string()).unwrap_or_default()),
        ("内外资", &|k| if k.ownership == "foreign" { "外资".into() } else { "内资".into() }),
        ("上市", &|k| if k.listed == 1 { "是".into() } else { "否".into() }),
        ("营业收入", &|k| k.revenue_fen.map(|m| m.to_string()).unwrap_or_default()),
        ("从业人员", &|k| k.employees.map(|n| n.to_string()).unwrap_or_default()),
        ("主要产品", &|k| k.products.clone()),
    ];
    fields.iter().map(|(label, f)| (*label, f(&x.current), f(&after))).filter(|(_, a, b)| a != b).collect()
}

/// Accepts (applies) or rejects, with a reason, a held row the caller may decide, as read at `version`.
pub async fn decide(ctx: &Context, c: &Caller<'_>, id: &str, version: i64, accept: bool, reason: &str) -> Result<()> {
    let p = c.principal;
    let x = store::get(ctx.store.pool(), &p.city_id, id).await?.ok_or(Error::NotFound)?;
    let chains = chains_of(ctx.store.pool(), &x.enterprise_id).await?;
    allow(ctx, c, may_decide(p, &x.enterprise_id, &chains), &format!("POST /enterprises/reviews/{id}")).await?;
    let reason =
        if accept { String::new() } else { required("reason", "退回理由", reason, 500).map_err(Error::from)? };
    if x.status != "pending" || x.version != version {
        return Err(Error::Conflict("该导入变更已由他人处理，请刷新后查看".into()));
    }
    store::decide(&ctx.store, &c.actor, &x, accept, &reason).await?;
    Ok(())
}
