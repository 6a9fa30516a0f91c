//! Embedded schema migrations, applied in order at start and by `chainchief migrate`.

use crate::{Backend, Result, Store};

/// Every migration: (version, name, portable SQL).
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "backbone", include_str!("../migrations/0001_backbone.sql")),
    (2, "chain_maps", include_str!("../migrations/0002_chain_maps.sql")),
    (3, "enterprise_profile", include_str!("../migrations/0003_enterprise_profile.sql")),
    (4, "enterprise_years", include_str!("../migrations/0004_enterprise_years.sql")),
    (5, "indicator_values", include_str!("../migrations/0005_indicator_values.sql")),
    (6, "figure_rollups", include_str!("../migrations/0006_figure_rollups.sql")),
    (7, "investment", include_str!("../migrations/0007_investment.sql")),
    (8, "problems", include_str!("../migrations/0008_problems.sql")),
    (9, "project_tracking", include_str!("../migrations/0009_project_tracking.sql")),
    (10, "supply", include_str!("../migrations/0010_supply.sql")),
    (11, "safety", include_str!("../migrations/0011_safety.sql")),
    (12, "task_updates", include_str!("../migrations/0012_task_updates.sql")),
    (13, "assessment", include_str!("../migrations/0013_assessment.sql")),
    (14, "dispatch", include_str!("../migrations/0014_dispatch.sql")),
    (15, "meetings", include_str!("../migrations/0015_meetings.sql")),
    (16, "notifications", include_str!("../migrations/0016_notifications.sql")),
    (17, "notification_channels", include_str!("../migrations/0017_notification_channels.sql")),
    (18, "quarterly_once", include_str!("../migrations/0018_quarterly_once.sql")),
    (19, "measure_progress_from", include_str!("../migrations/0019_measure_progress_from.sql")),
];

pub(crate) async fn run(store: &Store) -> Result<usize> {
    let mut tx = store.begin_write().await?;
    if store.backend() == Backend::Postgres {
        // Several instances may start together: one migrates, the others wait here.
        sqlx::query("SELECT pg_advisory_xact_lock(727772)").execute(&mut *tx).await?;
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
         applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let done: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations").fetch_all(&mut *tx).await?;
    let mut applied = 0;
    for (version, name, sql) in MIGRATIONS {
        if done.iter().any(|(v,)| v == version) {
            continue;
        }
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(*name)
            .bind(store.clock().now_millis())
            .execute(&mut *tx)
            .await?;
        applied += 1;
    }
    if let Some(newest) = done.iter().map(|(v,)| *v).max() {
        let known = MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0);
        if newest > known {
            return Err(crate::StoreError::Invalid(format!(
                "数据库结构版本（{newest}）比本程序（{known}）新，请使用新版程序"
            )));
        }
    }
    tx.commit().await?;
    Ok(applied)
}
