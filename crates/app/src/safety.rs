//! 三同时 and attachments [P3]: the three safety checkpoints of construction projects with their
//! evidence, the projects missing one, the safety design diagnosis of producing enterprises; and
//! photos and PDFs of projects, problems and plan tasks, checked by content and served only to
//! those who may see their owner.

use crate::projects::{may_change, may_read};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::attachment;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::Stage;
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::enterprises;
use chainchief_store::projects::{self, Project};
use chainchief_store::safety::{self, Attachment, Checkpoint, NewAttachment};
use chrono::NaiveDate;

/// The 三同时 checkpoints: (code, label, the stage from which it is due).
pub const CHECKPOINTS: [(&str, &str, Stage); 3] = [
    ("design", "安全设施与主体工程同时设计", Stage::Approval),
    ("construction", "同时施工", Stage::Construction),
    ("acceptance", "同时投入生产和使用", Stage::Production),
];

/// A project from 供地/审批 on with its checkpoints: (code, label, record, due by now).
pub struct SafetyRow {
    /// The project.
    pub p: Project,
    /// Each checkpoint with its record and whether it is due at the project's stage.
    pub points: Vec<(&'static str, &'static str, Option<Checkpoint>, bool)>,
}

impl SafetyRow {
    /// The labels of the checkpoints due and not recorded.
    pub fn missing(&self) -> Vec<&'static str> {
        self.points.iter().filter(|x| x.3 && x.2.is_none()).map(|x| x.1).collect()
    }
}

/// Who records an enterprise's safety design diagnosis: the general office, the offices of its
/// chains, the committee of its park.
pub fn may_diagnose(p: &Principal, chains: &[String], park: Option<&str>) -> bool {
    p.has(Role::GeneralOffice)
        || chains.iter().any(|c| p.can_write_chain(c))
        || (p.has(Role::ResponsibleUnit) && park.is_some_and(|k| p.parks.iter().any(|x| x == k)))
}

/// A producing enterprise's safety design diagnosis: (id, name, date, whether the caller may open
/// the enterprise, whether the caller may record its diagnosis).
pub type Diagnosis = (String, String, Option<String>, bool, bool);

/// The 三同时 board: projects from 供地/审批 on with their checkpoints, and the enterprises'
/// diagnoses.
pub async fn board(ctx: &Context, c: &Caller<'_>) -> Result<(Vec<SafetyRow>, Vec<Diagnosis>)> {
    let p = c.principal;
    allow(ctx, c, may_read(p), "GET /projects/safety").await?;
    let pool = ctx.store.pool();
    let done = safety::checkpoints(pool, &p.city_id).await?;
    let rows = crate::projects::readable(ctx, p)
        .await?
        .into_iter()
        .filter(|pr| pr.stage.index() >= Stage::Approval.index())
        .map(|pr| {
            let points = CHECKPOINTS
                .iter()
                .map(|(code, label, from)| {
                    let rec = done.iter().find(|d| d.project_id == pr.id && d.checkpoint == *code).cloned();
                    (*code, *label, rec, pr.stage.index() >= from.index())
                })
                .collect();
            SafetyRow { p: pr, points }
        })
        .collect();
    let found = safety::diagnoses(pool, &p.city_id).await?;
    let open = crate::enterprises::openable(ctx, p, found.iter().map(|d| d.0.as_str())).await?;
    let chains = enterprises::memberships(pool, &p.city_id).await?;
    let parks = enterprises::parks_of(pool, &p.city_id).await?;
    let none = Vec::new();
    let diagnoses = found
        .into_iter()
        .map(|(id, name, on)| {
            let readable = open.contains(&id);
            let may = may_diagnose(p, chains.get(&id).unwrap_or(&none), parks.get(&id).map(String::as_str));
            (id, name, on, readable, may)
        })
        .collect();
    Ok((rows, diagnoses))
}

/// An uploaded file: its name and bytes.
pub struct Upload {
    /// File name as sent.
    pub name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Checks an upload by content and size before anything is stored.
pub fn check_upload(file: &Option<Upload>) -> Result<()> {
    checked(file).map(|_| ())
}

/// The file checked by content and size; its content type.
fn checked(file: &Option<Upload>) -> Result<(&Upload, &'static str)> {
    let file =
        file.as_ref().filter(|f| !f.name.is_empty()).ok_or_else(|| Error::field("file", "请选择要上传的文件"))?;
    let content_type = attachment::check(&file.name, &file.bytes).map_err(|e| Error::field("file", e))?;
    Ok((file, content_type))
}

/// A project the caller may change; `what` names the request.
async fn changeable(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Project> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let pr = projects::get(ctx.store.pool(), &c.principal.city_id, id).await?;
    allow(ctx, c, may_change(c.principal, &pr), what).await?;
    Ok(pr)
}

/// Records a 三同时 checkpoint of a project with its evidence, once the project has reached the
/// checkpoint's stage, on a day not to come.
pub async fn record_checkpoint(
    ctx: &Context,
    c: &Caller<'_>,
    project_id: &str,
    code: &str,
    on: NaiveDate,
    note: &str,
    file: &Option<Upload>,
) -> Result<()> {
    let pr = changeable(ctx, c, project_id, "POST /projects/{id}/checkpoints").await?;
    let (_, label, from) =
        CHECKPOINTS.iter().find(|k| k.0 == code).ok_or_else(|| Error::field("checkpoint", "请选择“三同时”事项"))?;
    if pr.stage.index() < from.index() {
        return Err(Error::field("checkpoint", format!("项目到“{}”阶段才登记“{label}”", from.label())));
    }
    if on > ctx.clock.today() {
        return Err(Error::field("done_on", "完成日期不能晚于今天"));
    }
    let (file, content_type) = checked(file)?;
    let evidence = NewAttachment {
        city_id: &c.principal.city_id,
        owner_kind: "project",
        owner_id: &pr.id,
        name: &file.name,
        content_type,
        bytes: &file.bytes,
    };
    let on = on.format("%Y-%m-%d").to_string();
    Ok(safety::record_checkpoint(&ctx.store, &c.actor, &evidence, code, &on, note.trim()).await?)
}

/// What an attachment belongs to.
pub enum Owner<'a> {
    /// A project (its changers attach).
    Project(&'a str),
    /// A problem (whoever works on it or raised it attaches).
    Problem(&'a str),
    /// A plan task (whoever may report on it attaches; checked by the caller).
    Task(&'a str),
}

/// Attaches a file checked by content and size to its owner.
pub async fn attach(ctx: &Context, c: &Caller<'_>, owner: Owner<'_>, file: &Option<Upload>) -> Result<()> {
    let (kind, id) = match owner {
        Owner::Project(id) => ("project", changeable(ctx, c, id, "POST /projects/{id}/attachments").await?.id),
        Owner::Problem(id) => {
            let what = format!("POST /problems/{id}/attachments");
            let row = crate::problems::visible(ctx, c, id, &what).await?;
            // Who works on it or raised it attaches; who only reads it does not.
            let p = c.principal;
            allow(ctx, c, crate::problems::may_work(p, &row) || crate::problems::may_confirm(p, &row), &what).await?;
            ("problem", row.p.id)
        }
        Owner::Task(id) => ("task", id.to_string()),
    };
    let (file, content_type) = checked(file)?;
    let a = NewAttachment {
        city_id: &c.principal.city_id,
        owner_kind: kind,
        owner_id: &id,
        name: &file.name,
        content_type,
        bytes: &file.bytes,
    };
    safety::attach(&ctx.store, &c.actor, &a).await?;
    Ok(())
}

/// An attachment and its bytes, to whoever may see its owner: a problem's to those who see the
/// problem, a task's to those who see its evidence, a project's to those who read the project.
pub async fn download(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<(Attachment, Vec<u8>)> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let (a, bytes) = safety::content(ctx.store.pool(), &c.principal.city_id, id).await?;
    let what = format!("GET /attachments/{id}");
    let p = c.principal;
    match a.owner_kind.as_str() {
        "problem" => {
            crate::problems::visible(ctx, c, &a.owner_id, &what).await?;
        }
        "task" => {
            let t = crate::tasks::one(ctx, p, &a.owner_id).await?;
            let offices = crate::tasks::my_offices(ctx, p).await?;
            let chiefs = crate::tasks::offices_of(ctx, p, Role::ChainChief).await?;
            allow(ctx, c, crate::tasks::may_see_evidence(p, &t, &offices, &chiefs), &what).await?
        }
        _ => {
            let project = projects::get(ctx.store.pool(), &p.city_id, &a.owner_id).await?;
            allow(ctx, c, may_read(p) && crate::projects::may_read_project(p, &project), &what).await?
        }
    }
    Ok((a, bytes))
}

/// Records a producing enterprise's safety design diagnosis on a day not to come.
pub async fn diagnose(ctx: &Context, c: &Caller<'_>, enterprise_id: &str, on: NaiveDate) -> Result<()> {
    let (e, chains) = crate::enterprises::load(ctx, c.principal, enterprise_id).await?;
    let may = may_diagnose(c.principal, &chains, e.park_id.as_deref());
    allow(ctx, c, may, "POST /enterprises/{id}/diagnosis").await?;
    if on > ctx.clock.today() {
        return Err(Error::field("on", "诊断日期不能晚于今天"));
    }
    let on = on.format("%Y-%m-%d").to_string();
    Ok(safety::set_diagnosis(&ctx.store, &c.actor, &c.principal.city_id, enterprise_id, &on).await?)
}
