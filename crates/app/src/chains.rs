//! What a chain's office keeps of its chain [C1][C4]: the chief's name and the office's notes,
//! the "five ones" (五个一) with their evidence, who holds each post, and the rubric its status
//! map is rated by. The general office keeps every chain and the city's own posts.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::org::FiveOne;
use chainchief_domain::rating::Rubric;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text;
use chainchief_store::maps;
use chainchief_store::org::{self, Chain, ChainEdit, FiveOneEdit, Post};

/// A chain of the caller's city (404 otherwise) the caller may read; `what` names the request.
pub async fn readable(ctx: &Context, c: &Caller<'_>, chain_id: &str, what: &str) -> Result<Chain> {
    checked(ctx, c, chain_id, what, Principal::can_read_chain).await
}

/// A chain of the caller's city (404 otherwise) the caller may change; `what` names the request.
pub async fn writable(ctx: &Context, c: &Caller<'_>, chain_id: &str, what: &str) -> Result<Chain> {
    checked(ctx, c, chain_id, what, Principal::can_write_chain).await
}

async fn checked(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    what: &str,
    may: fn(&Principal, &str) -> bool,
) -> Result<Chain> {
    if !is_valid_id(chain_id) {
        return Err(Error::NotFound);
    }
    let chain = org::chain(ctx.store.pool(), &c.principal.city_id, chain_id).await?;
    allow(ctx, c, may(c.principal, chain_id), what).await?;
    Ok(chain)
}

/// Checks the chief's name and the office's notes, every problem with its field.
fn checked_edit(chief_name: &str, description: &str, version: i64) -> Result<ChainEdit> {
    let mut errors: Vec<FieldError> = Vec::new();
    let chief = text::optional("chief_name", "链长姓名", chief_name, 40).map_err(|e| errors.push(e)).ok();
    let desc = text::optional("description", "链条办说明", description, 4000).map_err(|e| errors.push(e)).ok();
    match (chief, desc) {
        (Some(chief_name), Some(description)) if errors.is_empty() => {
            Ok(ChainEdit { chief_name, description, version })
        }
        _ => Err(Error::Invalid(errors)),
    }
}

/// Saves the chief's name and the office's notes of a chain read at `version`; `what` names the
/// request (page or API).
pub async fn edit(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    chief_name: &str,
    description: &str,
    version: i64,
    what: &str,
) -> Result<Chain> {
    writable(ctx, c, chain_id, what).await?;
    let edit = checked_edit(chief_name, description, version)?;
    Ok(org::update_chain(&ctx.store, &c.actor, &c.principal.city_id, chain_id, &edit).await?)
}

/// Marks one of the "five ones" in place (with its evidence) or not, read at `version`.
pub async fn record_five_one(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    item: FiveOne,
    present: bool,
    evidence: &str,
    version: i64,
) -> Result<()> {
    writable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/five-ones/{}", item.code())).await?;
    let evidence = text::optional("evidence", "佐证材料", evidence, 500)?;
    if present && evidence.is_empty() {
        return Err(Error::field(
            "evidence",
            format!("标记“{}”已建立时，请填写佐证材料（文件名、文号或会议纪要）", item.label()),
        ));
    }
    let edit = FiveOneEdit { item: item.code().to_string(), present, evidence, version };
    Ok(org::update_five_one(&ctx.store, &c.actor, chain_id, &edit).await?)
}

/// Who keeps a post's holders: its chain's office, or the general office for the city's posts.
pub fn may_keep_post(p: &Principal, post: &Post) -> bool {
    match &post.chain_id {
        Some(chain) => p.can_write_chain(chain),
        None => p.has(Role::GeneralOffice),
    }
}

/// Sets who holds a post, read at `version`; returns the post.
pub async fn set_post_holders(
    ctx: &Context,
    c: &Caller<'_>,
    post_id: &str,
    holders: &str,
    version: i64,
) -> Result<Post> {
    if !is_valid_id(post_id) {
        return Err(Error::NotFound);
    }
    let city = &c.principal.city_id;
    let post = org::post(ctx.store.pool(), city, post_id).await?;
    allow(ctx, c, may_keep_post(c.principal, &post), &format!("POST /posts/{post_id}/holders")).await?;
    let holders = text::optional("holders", "在岗人员", holders, 200)?;
    org::update_post_holders(&ctx.store, &c.actor, city, post_id, &holders, version).await?;
    Ok(post)
}

/// Saves the rubric a chain's status map is rated by, once it is valid; `version` is the one read
/// (none for the first).
pub async fn save_rubric(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    rubric: &Rubric,
    version: Option<i64>,
) -> Result<()> {
    writable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/rubric")).await?;
    rubric.validate().map_err(|m| Error::field("rubric", m))?;
    let json = serde_json::to_string(rubric).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(maps::save_rubric(&ctx.store, &c.actor, chain_id, &json, version).await?)
}
