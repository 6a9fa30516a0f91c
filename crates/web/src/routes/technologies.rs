//! Key technologies [N2] with their stages, and standards and patents with their rewards [N5].

use super::library_io::xlsx;
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::innovation::Choices;
use chainchief_app::technologies::{
    self as uc, AchievementInput, AchievementList, TechnologyFilter, TechnologyInput, TechnologyList, TechnologyView,
};
use chainchief_domain::innovation::{TechCategory, TechStage};
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_store::technologies::{Achievement, StageReached, Technology};
use serde::Deserialize;

/// The list's query.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    chain: Option<String>,
    category: Option<String>,
    stage: Option<String>,
    format: Option<String>,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/technologies.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Technology>,
    chains: Vec<(String, String)>,
    chain: String,
    category: String,
    stage: String,
    choices: Choices,
    consortia: Vec<(String, Option<String>, String)>,
    export: String,
}

/// `GET /innovation/technologies`: the key-technology list, filtered; `format=xlsx` downloads it.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> PageResult {
    let filter = TechnologyFilter {
        chain_id: q.chain.clone().filter(|c| !c.is_empty()),
        category: q.category.as_deref().and_then(TechCategory::from_code),
        stage: q.stage.as_deref().and_then(TechStage::from_code),
    };
    let TechnologyList { rows, chains, choices, consortia } = uc::list(&state.ctx, &user.caller(), &filter).await?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "key_technology", None).await?;
        let bytes =
            chainchief_sheets::write_xlsx(&[uc::sheet(&rows)]).map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(xlsx(bytes, "关键核心技术攻关清单.xlsx"));
    }
    let l = layout(&state, &user, "关键核心技术攻关清单", "/innovation").await?.with_flash(q.msg.as_deref());
    let chain = filter.chain_id.unwrap_or_default();
    let category = filter.category.map_or("", TechCategory::code).to_string();
    let stage = filter.stage.map_or("", TechStage::code).to_string();
    let export = format!(
        "/innovation/technologies?{}",
        serde_urlencoded::to_string([
            ("chain", chain.as_str()),
            ("category", category.as_str()),
            ("stage", stage.as_str()),
            ("format", "xlsx"),
        ])
        .unwrap_or_default()
    );
    Ok(ListPage { l, rows, chains, chain, category, stage, choices, consortia, export }.into_response())
}

/// `POST /innovation/technologies`: lists a key technology on a chain the caller keeps.
pub async fn create(State(state): State<AppState>, user: CurrentUser, Form(f): Form<TechnologyInput>) -> PageResult {
    let id = uc::create(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/innovation/technologies/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/technology.html")]
struct ShowPage {
    l: Layout,
    t: Technology,
    stages: Vec<StageReached>,
    history: Vec<(i64, String, String)>,
    can_edit: bool,
    choices: Choices,
    consortia: Vec<(String, Option<String>, String)>,
    owner_open: bool,
    consortium_open: bool,
}

impl ShowPage {
    /// When the technology reached `stage`, if it did.
    fn reached(&self, stage: &TechStage) -> Option<&str> {
        self.stages.iter().rev().find(|s| s.stage == *stage).map(|s| s.reached_on.as_str())
    }

    /// Whether `stage` lies behind or at the stage reached.
    fn passed(&self, stage: &TechStage) -> bool {
        stage.rank() <= self.t.stage.rank()
    }

    /// The target year as the edit form shows it.
    fn year_now(&self) -> String {
        self.t.target_year.map(|y| y.to_string()).unwrap_or_default()
    }
}

/// `GET /innovation/technologies/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let TechnologyView { technology, stages, history, can_edit, choices, consortia, owner_open, consortium_open } =
        uc::get(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &technology.name, "/innovation")
        .await?
        .with_parents(&[("关键核心技术攻关清单", "/innovation/technologies")])
        .with_flash(f.msg.as_deref());
    Ok(ShowPage { l, t: technology, stages, history, can_edit, choices, consortia, owner_open, consortium_open }
        .into_response())
}

/// `POST /innovation/technologies/{id}`: saves a technology read at `version`.
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Edited<TechnologyInput>>,
) -> PageResult {
    uc::update(&state.ctx, &user.caller(), &id, &f.input, f.version()?).await?;
    Ok(Redirect::to(&format!("/innovation/technologies/{id}?msg=saved")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/results.html")]
struct ResultsPage {
    l: Layout,
    rows: Vec<Achievement>,
    rewarded: Money,
    enterprises: Vec<(String, String)>,
    year: i32,
}

/// The results page's query.
#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    format: Option<String>,
    msg: Option<String>,
}

/// `GET /innovation/results`: standards and patents with their rewards; `format=xlsx` downloads them.
pub async fn results(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ResultsQuery>) -> PageResult {
    let AchievementList { rows, rewarded, enterprises } = uc::achievements(&state.ctx, &user.caller()).await?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "innovation_result", None).await?;
        let bytes = chainchief_sheets::write_xlsx(&[uc::achievement_sheet(&rows)])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(xlsx(bytes, "标准与发明专利.xlsx"));
    }
    let l = layout(&state, &user, "标准与发明专利", "/innovation").await?.with_flash(q.msg.as_deref());
    Ok(ResultsPage { l, rows, rewarded, enterprises, year: state.clock.year() }.into_response())
}

/// A result with its reward as typed.
#[derive(Deserialize)]
pub struct ResultForm {
    #[serde(flatten)]
    input: AchievementInput,
    #[serde(default)]
    reward: String,
}

/// `POST /innovation/results`: records a standard or a patent of an enterprise the caller keeps.
pub async fn add_result(State(state): State<AppState>, user: CurrentUser, Form(f): Form<ResultForm>) -> PageResult {
    let reward = money::optional_field("reward", "奖励金额", &f.reward, MoneyUnit::Wan)?;
    uc::add_achievement(&state.ctx, &user.caller(), &f.input, reward).await?;
    Ok(Redirect::to("/innovation/results?msg=created").into_response())
}
