//! Serving the application until Ctrl-C or SIGTERM.

use crate::config::Config;
use chainchief_store::Store;
use chainchief_web::{AppState, app};
use std::net::SocketAddr;

/// Binds, announces the URL through `announce`, and serves until asked to stop.
pub async fn serve(store: Store, cfg: &Config, announce: impl FnOnce(&str)) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((cfg.bind.as_str(), cfg.port)).await?;
    let addr = listener.local_addr()?;
    let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
    let state = AppState::new(store.clone(), cfg.web.clone());
    // The reports of a period just ended are there before the first page is served.
    if let Err(e) = chainchief_app::reports::schedule::draft_due(&state.ctx).await {
        tracing::warn!(error = %e, "drafting reports failed");
    }
    announce(&format!("http://{host}:{}/", addr.port()));
    let notifier = tokio::spawn(chainchief_web::notify::run(state.clone()));
    let anchoring = crate::anchors::Anchoring::of(cfg)?;
    if anchoring.is_none() {
        tracing::warn!(
            "audit_key_file/audit_anchor_file not set: the audit chain is not anchored outside the database"
        );
    }
    let anchorer = anchoring.clone().map(|a| tokio::spawn(anchor_every_minute(a, store.clone())));
    let router = app(state);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    notifier.abort();
    if let (Some(task), Some(a)) = (anchorer, anchoring) {
        task.abort();
        a.anchor(&store).await?;
    }
    store.close().await;
    Ok(())
}

/// Appends the audit chain's signed head to the anchor file at start and every minute it moved.
async fn anchor_every_minute(anchoring: crate::anchors::Anchoring, store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = anchoring.anchor(&store).await {
            tracing::error!(error = %e, "anchoring the audit chain failed");
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
