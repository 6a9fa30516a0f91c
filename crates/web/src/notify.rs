//! Reminders pushed to a webhook and sent by e-mail [X2]: every interval the instance holding the
//! lease gathers the day's reminders of each city (the general office's to-do list: figures not
//! reported, reports to acknowledge, problems and requests to assign; monthly reports not
//! submitted; problems and plan tasks escalated; factor requests due within three days or late)
//! into the outbox, once each per day and channel, POSTs the due ones as JSON and mails them as
//! one digest per city; a failure is recorded and retried after the interval, doubling the wait
//! each time. Requests never wait for either.

use crate::AppState;
use chainchief_domain::roles::{Grant, Role};
use chainchief_store::{notifications, org};
use std::time::Duration;

/// The channels configured: `webhook` when a URL is set, `mail` when a relay and recipients are.
pub fn channels(state: &AppState) -> Vec<&'static str> {
    let c = &state.config;
    let mut out = Vec::new();
    if !c.webhook_url.trim().is_empty() {
        out.push("webhook");
    }
    if !c.smtp_server.trim().is_empty() && !c.mail_to.is_empty() {
        out.push("mail");
    }
    out
}

/// The wait before the first retry, in milliseconds.
fn retry_base(state: &AppState) -> i64 {
    i64::try_from(state.config.notify_interval_seconds.max(1) * 1000).unwrap_or(60_000)
}

/// Queues today's reminders of every city; returns how many were new.
pub async fn gather(state: &AppState) -> Result<usize, crate::AppError> {
    let pool = state.store.pool();
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let mut queued = 0;
    for city in org::cities(pool).await? {
        let office = chainchief_app::reports::schedule::acting_as(&city.id, vec![Grant::city(Role::GeneralOffice)]);
        let chains = org::chains(pool, &city.id).await?;
        let offices = chainchief_app::reports::schedule::acting_as(
            &city.id,
            chains.iter().map(|c| Grant::chain(Role::ChainOffice, &c.id)).collect(),
        );
        let leader = chainchief_app::reports::schedule::acting_as(&city.id, vec![Grant::city(Role::CityLeader)]);
        let mut found: Vec<(String, String, String)> = Vec::new();
        // What waits for the general office: figures, reports to acknowledge, problems to assign.
        for r in chainchief_app::todo::list(state, &office).await? {
            found.push((format!("{}:{}", r.what, r.href), format!("{}：{}", r.what, r.text), r.href));
        }
        for r in chainchief_app::reporting::report_reminders(state, &offices).await? {
            found.push((format!("report:{}", r.text), r.text, r.href));
        }
        for p in chainchief_app::problems::escalated_for(state, &leader).await? {
            let text = format!("问题“{}”已逾期未办结（牵头：{}），已升级至链长", p.p.title, p.lead());
            found.push((format!("problem:{}", p.p.id), text, format!("/problems/{}", p.p.id)));
        }
        for t in chainchief_app::tasks::escalated_for(state, &leader).await? {
            let text = format!("任务“{} {}”逾期：{}（牵头：{}）", t.m.code, t.m.title, t.state.reason, t.names("lead"));
            found.push((format!("task:{}:{}", t.m.id, t.state.period), text, format!("/tasks/{}", t.m.id)));
        }
        for r in chainchief_app::factors::due_soon(state, &office).await? {
            let when = if r.late() { "已逾期" } else { "即将到期" };
            let unit = r.r.unit_name.clone().unwrap_or_default();
            let deadline = r.r.deadline.clone().unwrap_or_default();
            let text = format!("{}“{}”{when}，限{deadline}前答复（承办：{unit}）", r.r.kind.label(), r.r.title);
            let key = format!("request:{}:{when}", r.r.id);
            found.push((key, text, format!("/requests/{}", r.r.id)));
        }
        for (key, text, href) in found {
            for channel in channels(state) {
                // Webhook keys keep the form they had before e-mail existed.
                let prefix = if channel == "mail" { "mail:" } else { "" };
                let key = format!("{prefix}{today}:{key}");
                if notifications::enqueue(pool, state.clock.now_millis(), &city.id, channel, &key, &text, &href).await?
                {
                    queued += 1;
                }
            }
        }
    }
    Ok(queued)
}

/// Why a peer could not be reached: the error with its causes, led by "证书不受信任" when the
/// peer's certificate was refused.
pub(crate) fn why(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        source = s.source();
    }
    let all = parts.join("：");
    if all.contains("invalid peer certificate") { format!("证书不受信任（{all}）") } else { all }
}

/// POSTs the due reminders to `url`; returns (delivered, failed).
pub async fn deliver(state: &AppState, client: &reqwest::Client, url: &str) -> Result<(usize, usize), crate::AppError> {
    let pool = state.store.pool();
    let (mut ok, mut failed) = (0, 0);
    for n in notifications::due(pool, "webhook", state.clock.now_millis()).await? {
        let link = format!("{}{}", state.config.public_url.trim_end_matches('/'), n.href);
        let body = serde_json::json!({"msgtype": "text", "text": {"content": format!("【链长通】{}\n{link}", n.body)}});
        let result = match client.post(url).json(&body).send().await {
            Ok(r) if r.status().is_success() => None,
            Ok(r) => Some(format!("HTTP {}", r.status().as_u16())),
            Err(e) if e.is_timeout() => Some("超时".to_string()),
            Err(e) => Some(format!("无法连接：{}", why(&e))),
        };
        if result.is_some() {
            failed += 1;
        } else {
            ok += 1;
        }
        notifications::attempted(pool, state.clock.now_millis(), &n.id, result.as_deref(), retry_base(state)).await?;
    }
    Ok((ok, failed))
}

/// Mails the due reminders of each city as one digest to `web.mail_to`; returns (delivered,
/// failed) reminders.
pub async fn mail(state: &AppState) -> Result<(usize, usize), crate::AppError> {
    let pool = state.store.pool();
    let c = &state.config;
    let due = notifications::due(pool, "mail", state.clock.now_millis()).await?;
    let mut cities: Vec<&str> = due.iter().map(|n| n.city_id.as_str()).collect();
    cities.sort_unstable();
    cities.dedup();
    let (mut ok, mut failed) = (0, 0);
    for city_id in cities {
        let city = org::city(pool, city_id).await?;
        let mine: Vec<&notifications::Notification> = due.iter().filter(|n| n.city_id == city_id).collect();
        let base = c.public_url.trim_end_matches('/');
        let lines: Vec<String> = mine.iter().map(|n| format!("· {}\n  {base}{}", n.body, n.href)).collect();
        let body = format!("{}链长通今日提醒（{}条）：\n\n{}\n", city.name, mine.len(), lines.join("\n"));
        let m = crate::smtp::Mail {
            from: &c.mail_from,
            to: &c.mail_to,
            subject: &format!("【链长通】{}今日提醒{}条", city.name, mine.len()),
            body: &body,
            at: state.clock.now_millis(),
        };
        let server = crate::smtp::Server {
            address: c.smtp_server.trim(),
            security: c.smtp_security,
            username: &c.smtp_username,
            password: &c.smtp_password,
        };
        let result = crate::smtp::send(&server, &m, Duration::from_secs(10)).await.err();
        for n in &mine {
            notifications::attempted(pool, state.clock.now_millis(), &n.id, result.as_deref(), retry_base(state))
                .await?;
        }
        if result.is_some() {
            failed += mine.len();
        } else {
            ok += mine.len();
        }
    }
    Ok((ok, failed))
}

/// Runs forever: every interval the lease holder drafts the reports of a period just ended and,
/// when a webhook or e-mail is set, gathers and delivers the reminders.
pub async fn run(state: AppState) {
    let url = state.config.webhook_url.trim().to_string();
    let every = Duration::from_secs(state.config.notify_interval_seconds.max(1));
    let Ok(client) = reqwest::Client::builder().timeout(Duration::from_secs(5)).build() else { return };
    let holder = chainchief_domain::ids::new_id();
    let ttl = i64::try_from(every.as_millis() * 3).unwrap_or(i64::MAX);
    loop {
        match notifications::lease(state.store.pool(), state.clock.now_millis(), "notify", &holder, ttl).await {
            Ok(true) => {
                match chainchief_app::reports::schedule::draft_due(&state).await {
                    Ok(made) if made > 0 => tracing::info!(made, "reports drafted"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "drafting reports failed"),
                }
                if !channels(&state).is_empty() {
                    remind(&state, &client, &url).await;
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "notify lease failed"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Gathers the reminders and delivers them by every channel set.
async fn remind(state: &AppState, client: &reqwest::Client, url: &str) {
    if let Err(e) = gather(state).await {
        tracing::warn!(error = %e, "gathering reminders failed");
    }
    if !url.is_empty() {
        match deliver(state, client, url).await {
            Ok((ok, failed)) if ok + failed > 0 => tracing::info!(ok, failed, "reminders pushed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pushing reminders failed"),
        }
    }
    match mail(state).await {
        Ok((ok, failed)) if ok + failed > 0 => tracing::info!(ok, failed, "reminders mailed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "mailing reminders failed"),
    }
}
