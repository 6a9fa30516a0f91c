//! The batch subcommands: migrate, plan import, users, backup/restore, audit verify.

use crate::anchors::Anchoring;
use crate::config::Config;
use anyhow::{Context, bail};
use chainchief_domain::audit::content_hash;
use chainchief_domain::clock::Clock;
use chainchief_domain::password;
use chainchief_domain::plan;
use chainchief_domain::roles::{Grant, Role};
use chainchief_store::audit::Actor;
use chainchief_store::plan_import::{self, ImportSummary};
use chainchief_store::{Store, backup, enterprises, org, users};
use clap::Subcommand;
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

/// The database the command works on and the clock it works by.
pub struct Db {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    /// The one clock (the system's, or one started at `clock_start`).
    pub clock: Clock,
}

impl Db {
    /// The database and clock of the settings.
    pub fn of(cfg: &Config) -> anyhow::Result<Db> {
        let clock = Clock::starting_at(&cfg.clock_start).map_err(|e| anyhow::anyhow!("clock_start：{e}"))?;
        Ok(Db { url: cfg.database_url.clone(), clock })
    }

    /// Connects without creating or migrating anything.
    pub async fn connect(&self) -> anyhow::Result<Store> {
        Ok(Store::connect(&self.url).await?.with_clock(self.clock))
    }

    /// Opens the database and applies pending migrations.
    pub async fn open(&self) -> anyhow::Result<Store> {
        open(self).await
    }

    /// Opens a database that must already exist.
    pub async fn existing(&self) -> anyhow::Result<Store> {
        existing(self).await
    }
}

/// Opens the database and applies pending migrations.
async fn open(db: &Db) -> anyhow::Result<Store> {
    let url = db.url.as_str();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
        }
    }
    let store = db.connect().await?;
    store.migrate().await?;
    // The database and its journal hold the city's data: readable by the server's user only.
    if let Some(path) = crate::anchors::sqlite_path(url) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            if Path::new(&file).exists() {
                keep_private(Path::new(&file))?;
            }
        }
    }
    Ok(store)
}

/// Opens a database that must already exist (an SQLite path is never created by mistake).
async fn existing(db: &Db) -> anyhow::Result<Store> {
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        let path = Path::new(path.split('?').next().unwrap_or(path));
        if !path.exists() {
            bail!("找不到数据库文件 {}，请检查 --database-url", path.display());
        }
    }
    db.connect().await
}

/// `chainchief migrate`.
pub async fn migrate(db: &Db) -> anyhow::Result<ExitCode> {
    let store = db.open().await?;
    println!("数据库结构已是最新（共 {} 个迁移）", chainchief_store::MIGRATIONS.len());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Validates a plan text; prints every error with its line.
pub fn validate_plan(text: &str, label: &str) -> anyhow::Result<plan::PlanFile> {
    plan::parse(text).map_err(|errors| {
        for e in &errors {
            eprintln!("{label}：{e}");
        }
        anyhow::anyhow!("规划文件 {label} 有 {} 处错误，未导入任何内容", errors.len())
    })
}

/// Imports a plan text into the store.
pub async fn import_plan_text(store: &Store, text: &str, label: &str) -> anyhow::Result<ImportSummary> {
    let plan = validate_plan(text, label)?;
    Ok(plan_import::import(store, &plan, &content_hash(text.as_bytes()), &Actor::cli(store.clock().now_millis()))
        .await?)
}

fn read_text(file: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 编码的文本文件", file.display()))
}

/// `chainchief plan import FILE`.
pub async fn plan_import(db: &Db, file: &Path) -> anyhow::Result<ExitCode> {
    let text = read_text(file)?;
    let label = file.display().to_string();
    validate_plan(&text, &label)?;
    let store = db.open().await?;
    let s = import_plan_text(&store, &text, &label).await?;
    if s.changed {
        println!("已导入 {} 的规划：新增 {} 条，更新 {} 条记录", s.city_name, s.created, s.updated);
    } else {
        println!("{} 的规划与已导入的文件相同，未做任何改动", s.city_name);
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `chainchief plan check FILE`.
pub fn plan_check(file: &Path) -> anyhow::Result<ExitCode> {
    let text = read_text(file)?;
    let p = validate_plan(&text, &file.display().to_string())?;
    println!(
        "规划文件有效：{}，{} 条产业链，{} 个单位，{} 项指标，{} 项举措",
        p.city.name,
        p.chains.len(),
        p.units.len(),
        p.indicators.len(),
        p.measures.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `chainchief user …`.
#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input with --password-stdin, otherwise generated and printed.
    Add {
        /// City code (as in the plan file).
        #[arg(long)]
        city: String,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Name shown.
        #[arg(long)]
        name: String,
        /// Role, e.g. general_office, chain_office:CHAIN, responsible_unit:UNIT, enterprise:NAME (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Code of the unit (as in the plan file) the account's holder belongs to.
        #[arg(long)]
        unit: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set (or, without --unit, clear) the unit an account's holder belongs to.
    SetUnit {
        /// Login name.
        username: String,
        /// Unit code (as in the plan file).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Disable an account and end its sessions.
    Disable {
        /// Login name.
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// Login name.
        username: String,
    },
    /// Remove an account's second factor (a lost phone); an admin account enrols a new one at its next login.
    ResetSecondFactor {
        /// Login name.
        username: String,
    },
    /// Set a new password (unlocks the account and ends its sessions).
    ResetPassword {
        /// Login name.
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn password_from(stdin: bool, username: &str) -> anyhow::Result<(String, bool)> {
    if stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        password::check(&pw, username).map_err(|e| anyhow::anyhow!("{}", e.message))?;
        Ok((pw, false))
    } else {
        Ok((generate_password(), true))
    }
}

/// A random password that meets the policy.
pub fn generate_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let body: String = (0..10).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect();
    format!("Cc-{body}7")
}

/// Parses `role[:scope]` into a grant of the city.
pub async fn parse_grant(store: &Store, city_id: &str, spec: &str) -> anyhow::Result<Grant> {
    let (code, scope) = spec.split_once(':').map(|(a, b)| (a, Some(b))).unwrap_or((spec, None));
    let role = Role::from_code(code).with_context(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("未知角色“{code}”，可用：{}", all.join(", "))
    })?;
    let mut g = Grant::city(role);
    let pool = store.pool();
    match (role.scope_kind(), scope) {
        (chainchief_domain::roles::ScopeKind::City, None) => {}
        (chainchief_domain::roles::ScopeKind::Chain, Some(c)) => {
            g.chain_id = Some(
                org::id_by_code(pool, "chains", city_id, c)
                    .await
                    .with_context(|| format!("没有代码为“{c}”的产业链"))?,
            )
        }
        (chainchief_domain::roles::ScopeKind::Unit, Some(u)) => {
            g.unit_id = Some(
                org::id_by_code(pool, "units", city_id, u).await.with_context(|| format!("没有代码为“{u}”的单位"))?,
            )
        }
        (chainchief_domain::roles::ScopeKind::Enterprise, Some(e)) => {
            g.enterprise_id =
                Some(enterprises::id_by_name(pool, city_id, e).await?.with_context(|| format!("没有名为“{e}”的企业"))?)
        }
        _ => bail!(
            "角色“{spec}”的范围不对：chain_chief/chain_office/lead_bank/liaison 需写 :产业链代码，responsible_unit 需写 :单位代码，enterprise 需写 :企业名称，其余不写"
        ),
    }
    Ok(g)
}

/// The id of the city's unit with `code`, if a code is given.
async fn unit_of(store: &chainchief_store::Store, city_id: &str, code: Option<&str>) -> anyhow::Result<Option<String>> {
    let Some(code) = code else { return Ok(None) };
    let id = org::id_by_code(store.pool(), "units", city_id, code).await;
    Ok(Some(id.with_context(|| format!("没有代码为“{code}”的单位"))?))
}

/// `chainchief user …`.
pub async fn user(db: &Db, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let store = db.open().await?;
    let actor = Actor::cli(store.clock().now_millis());
    match cmd {
        UserCommand::Add { city, username, name, roles, unit, password_stdin } => {
            let city_id =
                org::city_id_by_code(store.pool(), &city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
            let mut grants = Vec::new();
            for r in &roles {
                grants.push(parse_grant(&store, &city_id, r).await?);
            }
            if grants.iter().any(|g| g.role.is_admin()) && grants.len() > 1 {
                bail!("管理员角色不能与其他角色授予同一账号（三权分立）");
            }
            let unit_id = unit_of(&store, &city_id, unit.as_deref()).await?;
            let (pw, generated) = password_from(password_stdin, &username)?;
            let hash = chainchief_app::passwords::hash(&pw).map_err(|e| anyhow::anyhow!("{e}"))?;
            let new = users::NewUser {
                city_id,
                username: username.clone(),
                display_name: name,
                password_hash: hash,
                unit_id,
                grants,
                must_change_password: true,
            };
            users::create(&store, &actor, &new).await?;
            println!("已创建账号 {username}（首次登录须先修改密码）");
            if generated {
                println!("初始密码：{pw}");
            }
        }
        UserCommand::Disable { username } => {
            let u =
                users::by_username(store.pool(), &username).await?.with_context(|| format!("没有账号 {username}"))?;
            users::set_disabled(&store, &actor, &u.city_id, &u.id, true, u.version).await?;
            println!("已停用账号 {username}，其登录会话已结束");
        }
        UserCommand::Enable { username } => {
            let u =
                users::by_username(store.pool(), &username).await?.with_context(|| format!("没有账号 {username}"))?;
            users::set_disabled(&store, &actor, &u.city_id, &u.id, false, u.version).await?;
            println!("已启用账号 {username}");
        }
        UserCommand::SetUnit { username, unit } => {
            let u =
                users::by_username(store.pool(), &username).await?.with_context(|| format!("没有账号 {username}"))?;
            let unit_id = unit_of(&store, &u.city_id, unit.as_deref()).await?;
            users::set_unit(&store, &actor, &u.city_id, &u.id, unit_id.as_deref(), u.version).await?;
            println!("已设置 {username} 的所属单位");
        }
        UserCommand::ResetSecondFactor { username } => {
            let u =
                users::by_username(store.pool(), &username).await?.with_context(|| format!("没有账号 {username}"))?;
            users::set_second_factor(&store, &actor, &u.id, None, 0).await?;
            println!("已清除 {username} 的动态口令；须用动态口令的账号下次登录后将重新添加");
        }
        UserCommand::ResetPassword { username, password_stdin } => {
            let u =
                users::by_username(store.pool(), &username).await?.with_context(|| format!("没有账号 {username}"))?;
            let (pw, generated) = password_from(password_stdin, &username)?;
            let hash = chainchief_app::passwords::hash(&pw).map_err(|e| anyhow::anyhow!("{e}"))?;
            users::set_password(&store, &actor, &u.id, &hash, users::SetBy::Other).await?;
            println!("已重置 {username} 的密码（其登录会话已结束，下次登录须先修改密码）");
            if generated {
                println!("新密码：{pw}");
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `chainchief backup -o FILE`: the backup, and beside it its digest signed with the audit key.
pub async fn backup(db: &Db, cfg: &Config, output: &Path) -> anyhow::Result<ExitCode> {
    let store = db.existing().await?;
    let anchoring = Anchoring::of(cfg)?;
    if let Some(a) = &anchoring {
        a.anchor(&store).await?;
    }
    let digests = backup::backup(&store, output).await?;
    store.close().await;
    keep_private(output)?;
    let rows: i64 = digests.iter().map(|d| d.rows).sum();
    println!("已备份到 {}：{} 张表，共 {rows} 行", output.display(), digests.len());
    match &anchoring {
        Some(a) => {
            let file = Store::connect(&format!("sqlite://{}?mode=ro", output.display())).await?;
            let (seq, hash) = chainchief_store::audit::head(file.pool()).await?;
            file.close().await;
            let digest = a.write_digest(output, (seq, &hash))?;
            println!("摘要（文件哈希与审计链头，已用审计密钥签名）：{}", digest.display());
        }
        None => println!("未配置审计密钥（audit_key_file），备份没有签名摘要"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes a file readable and writable by its owner only.
pub fn keep_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("无法设置 {} 的权限", path.display()))?;
    }
    Ok(())
}

/// `chainchief restore FILE`: only a backup whose signed digest matches, into an empty database;
/// the restored audit chain must end at the digest's head.
pub async fn restore(db: &Db, cfg: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    if let Some(path) = db.url.strip_prefix("sqlite://")
        && let Some(dir) =
            Path::new(path.split('?').next().unwrap_or(path)).parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)?;
    }
    let anchoring =
        Anchoring::of(cfg)?.context("恢复须核对备份的签名摘要：请在设置中给出 audit_key_file（备份时用的审计密钥）")?;
    let head = anchoring.check_digest(file)?;
    let store = db.connect().await?;
    let digests = backup::restore(&store, file).await?;
    let verified = chainchief_store::audit::verify(store.pool(), std::slice::from_ref(&head)).await;
    let (now, _) = chainchief_store::audit::head(store.pool()).await?;
    verified.map_err(|e| anyhow::anyhow!("恢复后的审计日志校验失败：{e}"))?;
    if now != head.seq {
        bail!("恢复后的审计日志到第{now}条，摘要记为第{}条", head.seq);
    }
    store.close().await;
    let rows: i64 = digests.iter().map(|d| d.rows).sum();
    println!(
        "已从 {} 恢复：{} 张表，共 {rows} 行；备份摘要签名、行数与内容哈希、审计链（至第{}条）校验一致",
        file.display(),
        digests.len(),
        head.seq
    );
    println!("用它替换生产库前，请把原审计锚点文件移开保存（它记有备份之后的记录），服务启动后会重新锚定");
    Ok(ExitCode::SUCCESS)
}

/// `chainchief audit anchor`.
pub async fn audit_anchor(db: &Db, cfg: &Config) -> anyhow::Result<ExitCode> {
    let anchoring = Anchoring::of(cfg)?.context("未配置审计密钥与锚点文件（audit_key_file、audit_anchor_file）")?;
    let store = db.existing().await?;
    anchoring.anchor(&store).await?;
    let (seq, _) = chainchief_store::audit::head(store.pool()).await?;
    store.close().await;
    println!("已锚定审计链头：第{seq}条");
    Ok(ExitCode::SUCCESS)
}

/// `chainchief audit verify`: the chain, its numbering, and the anchors outside the database.
pub async fn audit_verify(db: &Db, cfg: &Config) -> anyhow::Result<ExitCode> {
    let store = db.existing().await?;
    let anchoring = Anchoring::of(cfg);
    let anchors = match &anchoring {
        Ok(Some(a)) => a.read(),
        Ok(None) => Ok(Vec::new()),
        Err(e) => Err(anyhow::anyhow!("{e:#}")),
    };
    let anchors = match anchors {
        Ok(a) => a,
        Err(e) => {
            store.close().await;
            eprintln!("审计日志校验失败：{e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let result = chainchief_store::audit::verify(store.pool(), &anchors).await;
    store.close().await;
    match result {
        Ok(v) if matches!(anchoring, Ok(Some(_))) => {
            println!("审计日志完整：共 {} 条记录，哈希链校验通过，与库外 {} 个签名锚点一致", v.records, v.anchors);
            Ok(ExitCode::SUCCESS)
        }
        Ok(v) => {
            println!("审计日志完整：共 {} 条记录，哈希链校验通过（未配置库外锚点 audit_anchor_file）", v.records);
            Ok(ExitCode::SUCCESS)
        }
        Err(chainchief_store::audit::VerifyError::Store(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("审计日志校验失败：{e}");
            Ok(ExitCode::from(2))
        }
    }
}

/// `plan extract`: drafts measures and quotas from a plan's text; unparsed parts go to stderr.
pub fn plan_extract(file: &Path, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let text = chainchief_sheets::decode_text(&bytes)
        .map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 或 GB18030 文本", file.display()))?;
    let x = chainchief_domain::extract::extract(&text);
    let draft = chainchief_domain::extract::to_toml(&x);
    match output {
        Some(out) => std::fs::write(out, &draft).with_context(|| format!("无法写入 {}", out.display()))?,
        None => print!("{draft}"),
    }
    let quotas: usize = x.measures.iter().map(|m| m.quotas.len()).sum();
    eprintln!("找到举措 {} 项、任务量 {} 项；未能识别 {} 处：", x.measures.len(), quotas, x.unparsed.len());
    for u in &x.unparsed {
        eprintln!("  第{}行：{}（{}）", u.line, u.reason, u.text);
    }
    Ok(ExitCode::SUCCESS)
}

/// `report`: writes a report as a DOCX or PDF in the official layout (or the lists of the
/// 五图五清单 as a workbook).
pub async fn report(
    cfg: &Config,
    city: &str,
    kind: &str,
    chain: Option<&str>,
    period: &str,
    format: &str,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let fail = |e: chainchief_app::Error| match e {
        chainchief_app::Error::Invalid(fields) => {
            anyhow::anyhow!("{}", fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))
        }
        other => anyhow::anyhow!("{other}"),
    };
    let workbook = kind == "bundle" && format == "xlsx";
    let format = if workbook { None } else { Some(chainchief_app::reports::Format::parse(format).map_err(fail)?) };
    let store = Db::of(cfg)?.existing().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let state = chainchief_app::Context::new(store.clone(), cfg.web.settings());
    let bytes = match (format, chain) {
        (Some(format), _) => {
            let doc = chainchief_app::reports::document(&state, &city_id, kind, chain, period).await.map_err(fail)?;
            chainchief_app::reports::render(&state, doc, format).await.map_err(fail)?
        }
        (None, Some(code)) => {
            let chain = chainchief_app::reports::yearend::chain_by_code(&state, &city_id, code).await.map_err(fail)?;
            chainchief_app::reports::bundle_xlsx(&state, &city_id, &chain, period).await.map_err(fail)?
        }
        (None, None) => bail!("五图五清单须指定产业链（--chain）"),
    };
    std::fs::write(output, bytes).with_context(|| format!("无法写入 {}", output.display()))?;
    println!("已生成 {}", output.display());
    if format == Some(chainchief_app::reports::Format::Pdf) {
        println!("{}", chainchief_app::reports::body_font(&state).await.map_err(fail)?);
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
