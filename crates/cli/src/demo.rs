//! `chainchief demo`: the Miluo demo city on a local SQLite file, ready to click through.

use crate::commands::{generate_password, import_plan_text, parse_grant};
use crate::config::Config;
use anyhow::Context;
use chainchief_store::audit::Actor;
use chainchief_store::{Store, org, users};
use serde::Deserialize;
use std::path::Path;
use std::process::ExitCode;

/// The demo city's plan.
const PLAN: &str = include_str!("../../../plans/miluo-2022.toml");
/// Demo accounts on top of the plan.
const DEMO: &str = include_str!("../../../plans/miluo-2022.demo.toml");
/// The demo city's chain maps and enterprises.
const MAPS: &str = include_str!("../../../plans/miluo-2022.maps.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoData {
    accounts: Vec<Account>,
    #[serde(default)]
    targets: Vec<TargetSpec>,
    #[serde(default)]
    projects: Vec<crate::demo_work::ProjectSpec>,
    #[serde(default)]
    events: Vec<crate::demo_work::EventSpec>,
    #[serde(default)]
    problems: Vec<crate::demo_work::ProblemSpec>,
    figures: Option<crate::demo_figures::DemoFigures>,
    #[serde(default)]
    carriers: Vec<crate::demo_innovation::CarrierSpec>,
    #[serde(default)]
    technologies: Vec<crate::demo_innovation::TechnologySpec>,
    #[serde(default)]
    achievements: Vec<crate::demo_innovation::AchievementSpec>,
    #[serde(default)]
    years: Vec<crate::demo_innovation::YearSpec>,
    #[serde(default)]
    factors: crate::demo_factors::FactorSpec,
}

/// An investment target of the demo: an external enterprise of the maps file and the nodes it could fill.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    enterprise: String,
    nodes: Vec<NodeRef>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeRef {
    chain: String,
    node: String,
}

/// Adds the demo's investment targets.
async fn load_targets(store: &Store, city_id: &str, specs: &[TargetSpec]) -> anyhow::Result<()> {
    let pool = store.pool();
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    let actor = Actor { city_id: Some(city_id.to_string()), ..Actor::cli(store.clock().now_millis()) };
    for t in specs {
        let enterprise = names
            .iter()
            .find(|n| n.3 == t.enterprise)
            .map(|n| n.0.clone())
            .with_context(|| format!("演示数据：没有企业“{}”", t.enterprise))?;
        let mut node_ids = Vec::new();
        for n in &t.nodes {
            let chain = org::id_by_code(pool, "chains", city_id, &n.chain).await?;
            let map = chainchief_store::maps::load(pool, &chain).await?;
            let node = map
                .nodes
                .iter()
                .find(|x| x.code == n.node)
                .with_context(|| format!("演示数据：没有环节“{}”", n.node))?;
            node_ids.push(node.id.clone());
        }
        let owner_unit_id = match &t.owner {
            Some(u) => Some(org::id_by_code(pool, "units", city_id, u).await?),
            None => None,
        };
        let new = chainchief_store::investment::NewTarget {
            city_id: city_id.to_string(),
            enterprise_id: enterprise,
            node_ids,
            owner_unit_id,
            note: t.note.clone(),
        };
        chainchief_store::investment::add_target(store, &actor, &new).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    username: String,
    name: String,
    #[serde(default)]
    unit: Option<String>,
    roles: Vec<RoleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSpec {
    role: String,
    #[serde(default)]
    chain: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    enterprise: Option<String>,
}

impl RoleSpec {
    fn as_spec(&self) -> String {
        match (&self.chain, &self.unit, &self.enterprise) {
            (Some(s), _, _) | (_, Some(s), _) | (_, _, Some(s)) => format!("{}:{s}", self.role),
            _ => self.role.clone(),
        }
    }
}

/// Loads the demo plan and data into `store` (once), returning the accounts' password if created now.
pub async fn load(store: &Store, password: Option<String>) -> anyhow::Result<Option<String>> {
    let summary = import_plan_text(store, PLAN, "plans/miluo-2022.toml").await?;
    let city_id = summary.city_id;
    let data: DemoData = toml::from_str(DEMO).context("演示数据文件有误")?;
    crate::maps_cmd::import_text(store, &city_id, MAPS, "plans/miluo-2022.maps.toml").await?;
    if users::by_username(store.pool(), "admin").await?.is_some() {
        return Ok(None);
    }
    let actor = Actor { city_id: Some(city_id.clone()), ..Actor::cli(store.clock().now_millis()) };
    let password = password.unwrap_or_else(generate_password);
    let hash = chainchief_app::passwords::hash(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    for a in &data.accounts {
        let mut grants = Vec::new();
        for r in &a.roles {
            grants.push(parse_grant(store, &city_id, &r.as_spec()).await?);
        }
        let unit_id = match &a.unit {
            Some(u) => Some(org::id_by_code(store.pool(), "units", &city_id, u).await?),
            None => None,
        };
        let new = users::NewUser {
            city_id: city_id.clone(),
            username: a.username.clone(),
            display_name: a.name.clone(),
            password_hash: hash.clone(),
            unit_id,
            grants,
            // The demo's accounts are shown with their password on the console, to try at once.
            must_change_password: false,
        };
        let admin = new.grants.iter().any(|g| g.role.is_admin());
        let id = users::create(store, &actor, &new).await?;
        if admin {
            // The admin roles sign in with a dynamic code; the console shows each admin's key.
            let secret = chainchief_app::sign_in::new_secret();
            users::set_second_factor(store, &actor, &id, Some(&secret), 0).await?;
        }
    }
    load_targets(store, &city_id, &data.targets).await?;
    crate::demo_work::load(store, &city_id, &data.projects, &data.events, &data.problems).await?;
    crate::demo_work::load_years(store, &city_id).await?;
    let (c, t, a, y) = (&data.carriers, &data.technologies, &data.achievements, &data.years);
    crate::demo_innovation::load(store, &city_id, c, t, a, y).await?;
    crate::demo_factors::load(store, &city_id, &data.factors).await?;
    if let Some(f) = &data.figures {
        crate::demo_figures::load(store, &city_id, f, &store.clock().last_month().to_string()).await?;
    }
    Ok(Some(password))
}

/// The demo accounts as printed at start: (username, what it is).
/// The demo's accounts as the console lists them: login name, and who, with the dynamic-code key
/// of those who sign in with one.
async fn account_lines(store: &Store) -> anyhow::Result<Vec<(String, String)>> {
    let accounts = toml::from_str::<DemoData>(DEMO).map(|d| d.accounts).unwrap_or_default();
    let mut out = Vec::new();
    for a in accounts {
        let secret = users::by_username(store.pool(), &a.username).await?.and_then(|u| u.totp_secret);
        let what = match secret {
            Some(k) => format!("{}（登录另需动态口令，验证器密钥 {k}）", a.name),
            None => a.name,
        };
        out.push((a.username, what));
    }
    Ok(out)
}

/// `chainchief demo`.
pub async fn run(
    mut cfg: Config,
    url: Option<String>,
    data_dir: &Path,
    bind: Option<String>,
    port: Option<u16>,
) -> anyhow::Result<ExitCode> {
    cfg.database_url = match url {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(data_dir).with_context(|| format!("无法创建目录 {}", data_dir.display()))?;
            format!("sqlite://{}", data_dir.join("chainchief.db").display())
        }
    };
    cfg.bind = bind.unwrap_or(cfg.bind);
    cfg.port = port.unwrap_or(cfg.port);
    let store = crate::commands::Db::of(&cfg)?.open().await?;
    let wanted = std::env::var("CHAINCHIEF_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
    if let Some(p) = &wanted {
        chainchief_domain::password::check(p, "")
            .map_err(|e| anyhow::anyhow!("CHAINCHIEF_DEMO_PASSWORD：{}", e.message))?;
    }
    let created = load(&store, wanted).await?;
    let lines = account_lines(&store).await?;
    let url_db = cfg.database_url.clone();
    crate::serve::serve(store, &cfg, move |url| {
        println!("链长通演示城市已启动：{url}");
        println!("数据库：{url_db}");
        match &created {
            Some(pw) => println!("演示账号（密码均为 {pw}）："),
            None => println!("演示账号（已存在，密码沿用首次启动时的密码）："),
        }
        for (user, what) in &lines {
            println!("  {user:<10} {what}");
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}
