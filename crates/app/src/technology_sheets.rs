//! The key-technology list through sheets [N2]: the 关键核心技术攻关清单 a chain office keeps in
//! Excel is uploaded in the columns of the export; every row is checked as the form checks it
//! (chain, node, the enterprise that takes it on, consortium, category, stage, year), a row naming
//! a technology the city has changes it — its stage moves forward or stays — and any error refuses
//! the whole file.

use crate::enterprise_sheets::{ImportFailure, Imported};
use crate::innovation::may_keep;
use crate::innovation_sheets::{Counts, Names, Sheet, code_of, may_import};
use crate::technologies::{AchievementInput, TechnologyInput, achievement, fields};
use crate::{Caller, Context, Error, Result};
use chainchief_domain::innovation::{Family, ResultKind, TechCategory, TechStage};
use chainchief_store::ImportRow;
use chainchief_store::technologies::{self as store, Technology, TechnologyFields};
use std::collections::HashSet;

/// The columns: (header, rule shown to users), those of the export.
pub const COLUMNS: [(&str, &str); 11] = [
    ("技术名称", "必填，最多60字；与已有攻关项目同名的，按本行更新该项目"),
    ("类别", "必填：产业短板、关键核心技术、基础材料、基础工艺、核心零部件"),
    ("产业链", "必填，产业链名称或简称"),
    ("环节", "可选，须为该产业链已有的环节"),
    ("揭榜企业", "可选，企业库中的企业全称或简称；未揭榜的不填"),
    ("合作单位", "可选，多个用顿号分隔，如 中南大学、湘潭大学"),
    ("创新联合体", "可选，已登记的本链创新联合体或产业技术创新联盟的名称"),
    (
        "攻关阶段",
        "必填：集中发榜、申请揭榜、单位推荐、揭榜遴选、任务实施、验收评估、发布成果；已有项目只能前进或不变，新阶段按导入当天记为到达",
    ),
    ("完成年份", "可选，四位年份"),
    ("具体指标要求", "可选，最多500字"),
    ("进展", "可选，最多1000字"),
];

/// The column a form field is read from.
fn column_of(field: &str) -> &'static str {
    match field {
        "name" => "技术名称",
        "category" => "类别",
        "chain_id" => "产业链",
        "node_id" => "环节",
        "owner_enterprise_id" => "揭榜企业",
        "partners" => "合作单位",
        "consortium_id" => "创新联合体",
        "stage" => "攻关阶段",
        "target_year" => "完成年份",
        "goal" => "具体指标要求",
        _ => "进展",
    }
}

/// Whether `f` says the same as the stored technology `t`.
fn same(t: &Technology, f: &TechnologyFields) -> bool {
    t.chain_id == f.chain_id
        && t.node_id == f.node_id
        && t.name == f.name
        && t.category == f.category
        && t.owner_enterprise_id == f.owner_enterprise_id
        && t.partners == f.partners
        && t.consortium_id == f.consortium_id
        && t.stage == f.stage
        && t.target_year == f.target_year.map(i64::from)
        && t.goal == f.goal
        && t.progress == f.progress
}

/// Reads, checks and imports a key-technology list, all rows or none.
pub async fn import_technologies(
    ctx: &Context,
    c: &Caller<'_>,
    bytes: &[u8],
    file_name: &str,
) -> Result<std::result::Result<Imported<Counts>, ImportFailure>> {
    may_import(ctx, c, "POST /innovation/technologies/import").await?;
    let p = c.principal;
    let sheet = match Sheet::read(bytes, file_name, &COLUMNS, &["技术名称", "类别", "产业链", "攻关阶段"])
    {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let notice = sheet.notice();
    let pool = ctx.store.pool();
    let names = Names::load(ctx, &p.city_id).await?;
    let consortia: Vec<_> = chainchief_store::innovation::carriers(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|x| x.kind.family() == Family::Consortium)
        .collect();
    let stored = store::technologies(pool, &p.city_id).await?;
    let mut errors = Vec::new();
    let (mut planned, mut report, mut seen) = (Vec::new(), Counts::default(), HashSet::new());
    for r in sheet.rows() {
        let name = r.cell("技术名称");
        if !name.is_empty() && !seen.insert(name.clone()) {
            errors.push(r.error("技术名称", format!("“{name}”出现了不止一次")));
            continue;
        }
        let chain_text = r.cell("产业链");
        let Some(chain) = names.chain(&chain_text) else {
            let why = if chain_text.is_empty() {
                "请填写产业链".into()
            } else {
                format!("没有名为“{chain_text}”的产业链")
            };
            errors.push(r.error("产业链", why));
            continue;
        };
        let node_id = match names.node(chain, &r.cell("环节")) {
            Ok(id) => id,
            Err(why) => {
                errors.push(r.error("环节", why));
                continue;
            }
        };
        let owner_text = r.cell("揭榜企业");
        let owner = names.enterprise(&owner_text);
        if owner.is_none() && !owner_text.is_empty() {
            errors.push(r.error("揭榜企业", format!("企业库中没有“{owner_text}”")));
            continue;
        }
        let consortium_text = r.cell("创新联合体");
        let consortium = consortia.iter().find(|x| x.name == consortium_text);
        if consortium.is_none() && !consortium_text.is_empty() {
            errors.push(r.error("创新联合体", format!("没有名为“{consortium_text}”的创新联合体或联盟")));
            continue;
        }
        let input = TechnologyInput {
            chain_id: chain.id.clone(),
            node_id,
            name: name.clone(),
            category: code_of(&r.cell("类别"), TechCategory::ALL.iter().map(|k| (k.code(), k.label()))),
            owner_enterprise_id: owner.map(|e| e.0.to_string()).unwrap_or_default(),
            partners: r.cell("合作单位"),
            consortium_id: consortium.map(|x| x.id.clone()).unwrap_or_default(),
            stage: code_of(&r.cell("攻关阶段"), TechStage::ALL.iter().map(|s| (s.code(), s.label()))),
            target_year: r.cell("完成年份"),
            goal: r.cell("具体指标要求"),
            progress: r.cell("进展"),
        };
        let f = match fields(ctx, p, &input).await {
            Ok(f) => f,
            Err(Error::Invalid(fields)) => {
                errors.extend(r.invalid(fields, column_of));
                continue;
            }
            Err(e) => return Err(e),
        };
        if !may_keep(p, Some(&f.chain_id)) {
            errors.push(r.error("产业链", format!("您不能维护{}的关键核心技术", chain.name)));
            continue;
        }
        match stored.iter().find(|t| t.name == f.name) {
            None => {
                report.created += 1;
                planned.push(ImportRow::New(f));
            }
            Some(t) if !may_keep(p, Some(&t.chain_id)) => {
                errors
                    .push(r.error("技术名称", format!("已有同名攻关项目“{}”，属{}，您不能修改", t.name, t.chain_name)));
            }
            Some(t) if same(t, &f) => report.unchanged += 1,
            Some(t) => match t.stage.check_move(f.stage) {
                Err(e) => errors.push(r.error("攻关阶段", e.message)),
                Ok(()) => {
                    report.updated += 1;
                    planned.push(ImportRow::Change { id: t.id.clone(), version: t.version, fields: f });
                }
            },
        }
    }
    if !errors.is_empty() {
        return Ok(Err(ImportFailure::Rows(errors)));
    }
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    store::import_technologies(&ctx.store, &c.actor, &p.city_id, &planned, &today).await?;
    Ok(Ok(Imported { report, notice }))
}

/// The columns of the standards and patents: (header, rule shown to users), those of the export.
pub const RESULT_COLUMNS: [(&str, &str); 6] = [
    ("企业", "必填，企业库中的企业全称或简称，须为您可以为其登记成果的企业"),
    ("类别", "必填：国际标准、国家标准、行业标准、地方标准、团体标准、发明专利"),
    ("名称", "必填，标准或专利的名称，最多100字"),
    ("编号", "必填，标准号或专利号；同一类别的编号只登记一次"),
    ("年份", "必填，发布或授权的年份，不晚于今年"),
    ("奖励（万元）", "可选，给予的奖励金额"),
];

/// The column a result's form field is read from.
fn result_column(field: &str) -> &'static str {
    match field {
        "kind" => "类别",
        "title" => "名称",
        "number" => "编号",
        "granted_year" => "年份",
        "reward" => "奖励（万元）",
        _ => "企业",
    }
}

/// Reads, checks and records a list of standards and patents, all rows or none; a row already
/// recorded as it is counts as unchanged, one recorded otherwise is refused.
pub async fn import_achievements(
    ctx: &Context,
    c: &Caller<'_>,
    bytes: &[u8],
    file_name: &str,
) -> Result<std::result::Result<Imported<Counts>, ImportFailure>> {
    may_import(ctx, c, "POST /innovation/results/import").await?;
    let p = c.principal;
    let sheet = match Sheet::read(bytes, file_name, &RESULT_COLUMNS, &["企业", "类别", "名称", "编号", "年份"])
    {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let notice = sheet.notice();
    let pool = ctx.store.pool();
    let names = Names::load(ctx, &p.city_id).await?;
    let members = chainchief_store::enterprises::memberships(pool, &p.city_id).await?;
    let stored = store::achievements(pool, &p.city_id).await?;
    let mut errors = Vec::new();
    let (mut planned, mut report, mut seen) = (Vec::new(), Counts::default(), HashSet::new());
    let none = Vec::new();
    for r in sheet.rows() {
        let name = r.cell("企业");
        let Some((id, full)) = names.enterprise(&name) else {
            errors.push(
                r.error("企业", if name.is_empty() { "请填写企业".into() } else { format!("企业库中没有“{name}”") }),
            );
            continue;
        };
        if !crate::enterprises::may_certify(p, members.get(id).unwrap_or(&none)) {
            errors.push(r.error("企业", format!("您不能为“{full}”登记成果")));
            continue;
        }
        let reward = match chainchief_domain::money::optional_field(
            "reward",
            "奖励金额",
            &r.cell("奖励（万元）"),
            chainchief_domain::money::MoneyUnit::Wan,
        ) {
            Ok(m) => m,
            Err(e) => {
                errors.push(r.error("奖励（万元）", e.message));
                continue;
            }
        };
        let input = AchievementInput {
            enterprise_id: id.to_string(),
            kind: code_of(&r.cell("类别"), ResultKind::ALL.iter().map(|k| (k.code(), k.label()))),
            title: r.cell("名称"),
            number: r.cell("编号"),
            granted_year: r.cell("年份"),
        };
        let a = match achievement(ctx, &input, reward) {
            Ok(a) => a,
            Err(Error::Invalid(fields)) => {
                errors.extend(r.invalid(fields, result_column));
                continue;
            }
            Err(e) => return Err(e),
        };
        if !seen.insert((a.kind, a.number.clone())) {
            errors.push(r.error("编号", format!("{}“{}”出现了不止一次", a.kind.label(), a.number)));
            continue;
        }
        match stored.iter().find(|s| s.kind == a.kind && s.number == a.number) {
            None => {
                report.created += 1;
                planned.push(a);
            }
            Some(s)
                if s.enterprise_id == a.enterprise_id
                    && s.title == a.title
                    && s.granted_year == i64::from(a.granted_year)
                    && s.reward == a.reward =>
            {
                report.unchanged += 1;
            }
            Some(s) => errors.push(r.error(
                "编号",
                format!("{}“{}”已登记为{}的“{}”，内容与本行不同", s.kind.label(), s.number, s.enterprise_name, s.title),
            )),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(ImportFailure::Rows(errors)));
    }
    store::import_achievements(&ctx.store, &c.actor, &p.city_id, &planned).await?;
    Ok(Ok(Imported { report, notice }))
}
