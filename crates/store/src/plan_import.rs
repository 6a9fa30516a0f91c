//! Loading a validated plan file into the database: one transaction, upserts by code,
//! so a re-import of the same file changes nothing and an edited file updates the city.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, Tx};
use chainchief_domain::ids::new_id;
use chainchief_domain::org::TargetKind;
use chainchief_domain::plan::PlanFile;
use chainchief_domain::quantity::{Unit, parse_scaled};
use std::collections::HashMap;

use crate::{Val, bind_all, text as t};

fn opt(s: Option<&String>) -> Val {
    Val::Text(s.cloned())
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The city's id.
    pub city_id: String,
    /// The city's name.
    pub city_name: String,
    /// False when the same file had already been imported.
    pub changed: bool,
    /// Records created.
    pub created: usize,
    /// Records updated.
    pub updated: usize,
}

struct Upserter<'a> {
    tx: &'a mut Tx,
    city_id: String,
    who: String,
    now: i64,
    created: usize,
    updated: usize,
}

impl Upserter<'_> {
    /// Inserts or updates the row of `table` with this city and code; returns its id.
    async fn upsert(
        &mut self,
        table: &str,
        code: &str,
        cols: &[&str],
        vals: Vec<Val>,
        versioned: bool,
    ) -> Result<String> {
        let sql = format!("SELECT id FROM {table} WHERE city_id = $1 AND code = $2");
        let existing: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&self.city_id)
            .bind(code)
            .fetch_optional(&mut **self.tx)
            .await?;
        let audit_cols: &[&str] = if versioned { &["updated_at", "updated_by"] } else { &[] };
        let (sql, id) = match &existing {
            Some((id,)) => {
                let mut sets: Vec<String> =
                    cols.iter().chain(audit_cols).enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
                if versioned {
                    sets.push("version = version + 1".into());
                }
                self.updated += 1;
                (format!("UPDATE {table} SET {} WHERE id = $1", sets.join(", ")), id.clone())
            }
            None => {
                let all: Vec<&str> = ["id", "city_id", "code"].iter().chain(cols).chain(audit_cols).copied().collect();
                let n = all.len() + usize::from(versioned);
                let marks: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
                let names = if versioned { format!("{}, version", all.join(", ")) } else { all.join(", ") };
                self.created += 1;
                (format!("INSERT INTO {table} ({names}) VALUES ({})", marks.join(", ")), new_id())
            }
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.clone());
        if existing.is_none() {
            q = q.bind(self.city_id.clone()).bind(code.to_string());
        }
        q = bind_all(q, vals);
        if versioned {
            q = q.bind(self.now).bind(self.who.clone());
            if existing.is_none() {
                q = q.bind(1_i64);
            }
        }
        q.execute(&mut **self.tx).await?;
        Ok(id)
    }

    /// Replaces the link rows of `table` owned by `owner_col = owner`.
    async fn replace_links(
        &mut self,
        table: &str,
        owner_col: &str,
        owner: &str,
        rows: Vec<Vec<Val>>,
        cols: &[&str],
    ) -> Result<()> {
        let sql = format!("DELETE FROM {table} WHERE {owner_col} = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner).execute(&mut **self.tx).await?;
        for row in rows {
            let marks: Vec<String> = (1..=cols.len() + 1).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {table} ({owner_col}, {}) VALUES ({})", cols.join(", "), marks.join(", "));
            bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner.to_string()), row)
                .execute(&mut **self.tx)
                .await?;
        }
        Ok(())
    }
}

/// Imports a validated plan; `hash` identifies the file's content.
pub async fn import(store: &Store, plan: &PlanFile, hash: &str, actor: &Actor) -> Result<ImportSummary> {
    let mut tx = store.begin_write().await?;
    let code = plan.city.code.get_ref().as_str();
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT id, plan_hash FROM cities WHERE code = $1").bind(code).fetch_optional(&mut *tx).await?;
    if let Some((id, old_hash)) = &existing
        && old_hash == hash
    {
        return Ok(ImportSummary {
            city_id: id.clone(),
            city_name: plan.city.name.clone(),
            changed: false,
            created: 0,
            updated: 0,
        });
    }
    let now = actor.at;
    let city_id = existing.as_ref().map(|(id, _)| id.clone()).unwrap_or_else(new_id);
    let p = &plan.plan;
    let rule = plan.status_rules.as_ref().map(|r| *r.get_ref()).unwrap_or_default();
    let city_sql = if existing.is_some() {
        "UPDATE cities SET code=$2, name=$3, province=$4, prefecture=$5, plan_title=$6, plan_issuer=$7, plan_issued=$8, \
         plan_doc_number=$9, start_year=$10, target_year=$11, plan_hash=$12, updated_at=$13, updated_by=$14, \
         green_from=$15, amber_from=$16, regions=$17, version = version + 1 WHERE id = $1"
    } else {
        "INSERT INTO cities (id, code, name, province, prefecture, plan_title, plan_issuer, plan_issued, plan_doc_number, \
         start_year, target_year, plan_hash, updated_at, updated_by, green_from, amber_from, regions, version) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,1)"
    };
    sqlx::query(city_sql)
        .bind(&city_id)
        .bind(code)
        .bind(&plan.city.name)
        .bind(&plan.city.province)
        .bind(&plan.city.prefecture)
        .bind(&p.title)
        .bind(&p.issuer)
        .bind(&p.issued)
        .bind(&p.doc_number)
        .bind(i64::from(*p.start_year.get_ref()))
        .bind(i64::from(*p.target_year.get_ref()))
        .bind(hash)
        .bind(now)
        .bind(&actor.name)
        .bind(rule.green_from)
        .bind(rule.amber_from)
        .bind(serde_json::to_string(&plan.regions.iter().map(|r| r.get_ref()).collect::<Vec<_>>()).unwrap_or_default())
        .execute(&mut *tx)
        .await?;

    let mut u =
        Upserter { tx: &mut tx, city_id: city_id.clone(), who: actor.name.clone(), now, created: 0, updated: 0 };
    let mut parks = HashMap::new();
    for (i, park) in plan.parks.iter().enumerate() {
        let cols = ["name", "short_name", "description", "position"];
        let vals = vec![t(&park.name), t(&park.short), t(&park.description), Val::Int(i as i64)];
        parks.insert(park.code.get_ref().clone(), u.upsert("parks", park.code.get_ref(), &cols, vals, true).await?);
    }
    for park in &plan.parks {
        let parent = park.parent.as_ref().and_then(|c| parks.get(c.get_ref()));
        sqlx::query("UPDATE parks SET parent_id = $1 WHERE id = $2")
            .bind(parent)
            .bind(&parks[park.code.get_ref()])
            .execute(&mut **u.tx)
            .await?;
    }
    let mut units = HashMap::new();
    for (i, unit) in plan.units.iter().enumerate() {
        let park = unit.park.as_ref().and_then(|c| parks.get(c.get_ref()));
        let cols = ["name", "short_name", "kind", "park_id", "position"];
        let vals = vec![t(&unit.name), t(&unit.short), t(unit.kind.code()), opt(park), Val::Int(i as i64)];
        units.insert(unit.code.get_ref().clone(), u.upsert("units", unit.code.get_ref(), &cols, vals, true).await?);
    }
    for unit in &plan.units {
        let host = unit.host.as_ref().and_then(|c| units.get(c.get_ref()));
        let id = &units[unit.code.get_ref()];
        sqlx::query("UPDATE units SET host_id = $1 WHERE id = $2").bind(host).bind(id).execute(&mut **u.tx).await?;
        let members = unit.members.iter().enumerate().map(|(i, m)| vec![t(&units[m.get_ref()]), Val::Int(i as i64)]);
        u.replace_links("unit_members", "group_id", id, members.collect(), &["member_id", "position"]).await?;
    }
    let mut chains = HashMap::new();
    for (i, c) in plan.chains.iter().enumerate() {
        let office = c.office.as_ref().and_then(|o| units.get(o.get_ref()));
        let cols = ["name", "short_name", "level", "chief_title", "office_unit_id", "plan_text", "position"];
        let vals = vec![
            t(&c.name),
            t(&c.short),
            t(c.level.code()),
            t(&c.chief),
            opt(office),
            t(&c.description),
            Val::Int(i as i64),
        ];
        let id = u.upsert("chains", c.code.get_ref(), &cols, vals, true).await?;
        ensure_chain_rows(u.tx, &id, &actor.name, now).await?;
        chains.insert(c.code.get_ref().clone(), id);
    }
    for c in &plan.chains {
        let id = &chains[c.code.get_ref()];
        let parent = c.parent.as_ref().and_then(|p| chains.get(p.get_ref()));
        sqlx::query("UPDATE chains SET parent_id = $1 WHERE id = $2")
            .bind(parent)
            .bind(id)
            .execute(&mut **u.tx)
            .await?;
        let links = c.parks.iter().enumerate().map(|(i, p)| vec![t(&parks[p.get_ref()]), Val::Int(i as i64)]);
        u.replace_links("chain_parks", "chain_id", id, links.collect(), &["park_id", "position"]).await?;
    }
    let mut post_codes: HashMap<String, usize> = HashMap::new();
    for (i, post) in plan.posts.iter().enumerate() {
        let kind = post.post.get_ref();
        let scope = post.chain.as_ref().or(post.unit.as_ref()).map(|s| s.get_ref().as_str()).unwrap_or("-");
        let base = format!("{}@{scope}", kind.code());
        let n = post_codes.entry(base.clone()).or_insert(0);
        *n += 1;
        let code = if *n == 1 { base } else { format!("{base}#{n}") };
        let cols = ["kind", "title", "unit_id", "chain_id", "head_count", "full_time", "position"];
        let vals = vec![
            t(kind.code()),
            t(&post.title),
            opt(post.unit.as_ref().and_then(|c| units.get(c.get_ref()))),
            opt(post.chain.as_ref().and_then(|c| chains.get(c.get_ref()))),
            Val::Int(i64::from(post.count)),
            Val::Int(i64::from(post.full_time)),
            Val::Int(i as i64),
        ];
        u.upsert("posts", &code, &cols, vals, true).await?;
    }
    for (i, ind) in plan.indicators.iter().enumerate() {
        let cols = [
            "name",
            "unit",
            "scope",
            "chain_id",
            "park_id",
            "aggregation",
            "direction",
            "source",
            "formula",
            "rolls_up_from",
            "due_day",
            "counts",
            "position",
        ];
        let vals = vec![
            t(&ind.name),
            t(ind.unit.get_ref()),
            t(ind.scope.code()),
            opt(ind.chain.as_ref().and_then(|c| chains.get(c.get_ref()))),
            opt(ind.park.as_ref().and_then(|c| parks.get(c.get_ref()))),
            t(ind.aggregation.code()),
            t(ind.direction.code()),
            t(&ind.source),
            t(&ind.formula),
            t(ind.rolls_up_from.as_ref().map(|r| r.get_ref().as_str()).unwrap_or_default()),
            Val::Int(ind.due_day.as_ref().map_or(10, |d| i64::from(*d.get_ref()))),
            t(&ind.counts.as_ref().and_then(|c| c.get_ref().counting().ok()).map(|c| c.code()).unwrap_or_default()),
            Val::Int(i as i64),
        ];
        let id = u.upsert("indicators", ind.code.get_ref(), &cols, vals, true).await?;
        let unit = Unit::parse(ind.unit.get_ref()).map(|x| x.symbol()).unwrap_or_default();
        let rows = ind
            .targets
            .iter()
            .map(|x| (TargetKind::Target.code(), x))
            .chain(ind.baseline.iter().map(|x| (TargetKind::Baseline.code(), x)))
            .map(|(kind, x)| {
                let scaled = parse_scaled(&x.value.get_ref().0).unwrap_or_default();
                vec![t(&new_id()), t(kind), Val::Int(i64::from(*x.year.get_ref())), Val::Int(scaled), t(unit)]
            });
        u.replace_links(
            "indicator_targets",
            "indicator_id",
            &id,
            rows.collect(),
            &["id", "kind", "year", "value_scaled", "unit"],
        )
        .await?;
    }
    for (i, m) in plan.measures.iter().enumerate() {
        let cols = ["section", "title", "body", "frequency", "deadline", "progress_from", "position"];
        let vals = vec![
            t(&m.section),
            t(&m.title),
            t(&m.text),
            t(m.frequency.code()),
            opt(m.deadline.as_ref().map(|d| d.get_ref())),
            t(m.progress_from.as_ref().map_or("", |f| f.get_ref())),
            Val::Int(i as i64),
        ];
        let id = u.upsert("measures", m.code.get_ref(), &cols, vals, true).await?;
        let rows = m
            .lead
            .iter()
            .map(|x| ("lead", x))
            .chain(m.co.iter().map(|x| ("co", x)))
            .enumerate()
            .map(|(i, (role, x))| vec![t(&units[x.get_ref()]), t(role), Val::Int(i as i64)]);
        u.replace_links("measure_units", "measure_id", &id, rows.collect(), &["unit_id", "role", "position"]).await?;
        for (j, q) in m.quotas.iter().enumerate() {
            let cols = ["measure_id", "name", "min_count", "unit", "counts", "position"];
            let vals = vec![
                t(&id),
                t(&q.name),
                Val::Int(i64::from(*q.min.get_ref())),
                t(q.unit.get_ref()),
                t(&q.counts),
                Val::Int((i * 100 + j) as i64),
            ];
            u.upsert("quotas", q.code.get_ref(), &cols, vals, false).await?;
        }
    }
    let (created, updated) = (u.created, u.updated);
    let summary = serde_json::json!({
        "city": plan.city.name, "hash": hash, "created": created, "updated": updated,
        "chains": plan.chains.len(), "units": plan.units.len(), "indicators": plan.indicators.len(),
        "measures": plan.measures.len(),
    });
    let actor = Actor { city_id: Some(city_id.clone()), ..actor.clone() };
    let event =
        Event { action: "plan.import", entity: "city", entity_id: Some(&city_id), before: None, after: Some(summary) };
    append(&mut tx, &actor, event).await?;
    tx.commit().await?;
    Ok(ImportSummary { city_id, city_name: plan.city.name.clone(), changed: true, created, updated })
}

/// Makes sure a chain has its five-ones rows (kept, never overwritten, on re-import).
async fn ensure_chain_rows(tx: &mut Tx, chain_id: &str, who: &str, now: i64) -> Result<()> {
    for item in chainchief_domain::org::FiveOne::ALL {
        sqlx::query(
            "INSERT INTO chain_five_ones (id, chain_id, item, present, evidence, version, updated_at, updated_by) \
             SELECT $1, $2, $3, 0, '', 1, $4, $5 WHERE NOT EXISTS \
             (SELECT 1 FROM chain_five_ones WHERE chain_id = $2 AND item = $3)",
        )
        .bind(new_id())
        .bind(chain_id)
        .bind(item.code())
        .bind(now)
        .bind(who)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
