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
    (20, "money_in_fen", include_str!("../migrations/0020_money_in_fen.sql")),
    (21, "drafted_body", include_str!("../migrations/0021_drafted_body.sql")),
    (22, "account_rules", include_str!("../migrations/0022_account_rules.sql")),
    (23, "login_failures", include_str!("../migrations/0023_login_failures.sql")),
    (24, "import_proposals", include_str!("../migrations/0024_import_proposals.sql")),
    (25, "indicator_counts", include_str!("../migrations/0025_indicator_counts.sql")),
    (26, "innovation", include_str!("../migrations/0026_innovation.sql")),
    (27, "cultivation", include_str!("../migrations/0027_cultivation.sql")),
    (28, "regions", include_str!("../migrations/0028_regions.sql")),
    (29, "carrier_evaluations", include_str!("../migrations/0029_carrier_evaluations.sql")),
    (30, "founded_year", include_str!("../migrations/0030_founded_year.sql")),
    (31, "factor_requests", include_str!("../migrations/0031_factor_requests.sql")),
    (32, "policies", include_str!("../migrations/0032_policies.sql")),
    (33, "funds_talent", include_str!("../migrations/0033_funds_talent.sql")),
    (34, "guarantees_liaison", include_str!("../migrations/0034_guarantees_liaison.sql")),
];

pub(crate) async fn run(store: &Store) -> Result<usize> {
    let mut tx = match store.backend() {
        Backend::Sqlite => store.begin_write().await?,
        // Before the first migration there is no audit head to lock.
        Backend::Postgres => store.pool().begin().await?,
    };
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

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use crate::Store;
    use sqlx::Connection;

    /// A database of version 19 held whole 万元 in some columns and 元 in others; version 20 turns all into 分.
    #[tokio::test]
    async fn money_columns_move_to_fen() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
        sqlx::any::install_default_drivers();
        let mut old = sqlx::AnyConnection::connect(&url).await.expect("connect");
        sqlx::raw_sql(
            "PRAGMA foreign_keys = OFF; CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, \
                       name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut old)
        .await
        .expect("pragma");
        for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 < 20) {
            sqlx::raw_sql(*sql).execute(&mut old).await.expect("old migration");
            sqlx::query("INSERT INTO schema_migrations VALUES ($1, $2, 0)")
                .bind(version)
                .bind(*name)
                .execute(&mut old)
                .await
                .expect("record");
        }
        sqlx::raw_sql(
            "INSERT INTO enterprises (id, city_id, name, short_name, is_demo, version, updated_at, updated_by, revenue_wan) \
               VALUES ('e', 'c', '甲', '甲', 0, 1, 0, 'x', 125000); \
             INSERT INTO enterprise_years (enterprise_id, year, revenue_wan, output_wan, tax_wan, updated_at, updated_by) \
               VALUES ('e', 2025, 125000, 130000, 820, 0, 'x'); \
             INSERT INTO enterprise_relations (id, city_id, supplier_id, customer_id, product, value_wan, version, updated_at, \
               updated_by) VALUES ('r', 'c', 'e', 'e', '件', 300, 1, 0, 'x'); \
             INSERT INTO supply_needs (id, city_id, enterprise_id, part, process, annual_volume, annual_value_wan, status, \
               created_at, created_by) VALUES ('n', 'c', 'e', '件', '', '', 40, 'open', 0, 'x'); \
             INSERT INTO supply_deals (id, need_id, supplier_id, value_wan, signed_on, created_at, created_by) \
               VALUES ('d', 'n', 'e', 25, '2026-01-01', 0, 'x'); \
             INSERT INTO projects (id, city_id, name, company_name, chain_id, kind, method, stage, major, planned_wan, \
               signed_wan, version, updated_at, updated_by) \
               VALUES ('p', 'c', '项目', '公司', 'ch', 'new', 'x', 'lead', 0, 500000000, 123456, 1, 0, 'x'); \
             INSERT INTO project_investments (project_id, period, planned_wan, actual_wan, updated_at, updated_by) \
               VALUES ('p', '2026-01', 10000000, 5, 0, 'x');",
        )
        .execute(&mut old)
        .await
        .expect("old rows");
        old.close().await.expect("close");

        let store = Store::connect(&url).await.expect("store");
        store.migrate().await.expect("migrate to the newest version");
        let one = |sql: &'static str| {
            let pool = store.pool().clone();
            async move {
                let (v,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.expect(sql);
                v
            }
        };
        // 12.5亿元, 13亿元, 820万元, 300万元, 40万元, 25万元: whole 万元 × 1,000,000.
        assert_eq!(one("SELECT revenue_fen FROM enterprises").await, 125_000_000_000);
        assert_eq!(one("SELECT revenue_fen FROM enterprise_years").await, 125_000_000_000);
        assert_eq!(one("SELECT output_fen FROM enterprise_years").await, 130_000_000_000);
        assert_eq!(one("SELECT tax_fen FROM enterprise_years").await, 820_000_000);
        assert_eq!(one("SELECT value_fen FROM enterprise_relations").await, 300_000_000);
        assert_eq!(one("SELECT annual_value_fen FROM supply_needs").await, 40_000_000);
        assert_eq!(one("SELECT value_fen FROM supply_deals").await, 25_000_000);
        // 5亿元 and 12.3456万元, 1000万元 and 5元: 元 × 100.
        assert_eq!(one("SELECT planned_fen FROM projects").await, 50_000_000_000);
        assert_eq!(one("SELECT signed_fen FROM projects").await, 12_345_600);
        assert_eq!(one("SELECT planned_fen FROM project_investments").await, 1_000_000_000);
        assert_eq!(one("SELECT actual_fen FROM project_investments").await, 500);
        store.close().await;
    }
}
