//! Reminders pushed to a webhook: a delivery that times out or fails is recorded and retried,
//! the application stays responsive meanwhile, and the general office sees what happened.

use crate::harness::{TestApp, backends, html};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A webhook that hangs on its first request, answers 500 to the second and 200 afterwards.
async fn webhook() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let status = match n {
                    0 => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        "200 OK"
                    }
                    1 => "500 Internal Server Error",
                    _ => "200 OK",
                };
                let reply = format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn failed_pushes_are_retried_visibly_and_the_app_stays_responsive() {
    for b in backends() {
        let (url, seen) = webhook().await;
        let app = TestApp::spawn_with(
            b,
            &[("CHAINCHIEF_WEB__WEBHOOK_URL", url.as_str()), ("CHAINCHIEF_WEB__NOTIFY_INTERVAL_SECONDS", "1")],
        )
        .await;
        let (c, _) = app.web_login("office").await;
        // While the first push hangs, pages still answer at once.
        let start = Instant::now();
        let health = TestApp::browser().get(format!("{}/healthz", app.base)).send().await.expect("healthz");
        assert!(health.status().is_success() && start.elapsed() < Duration::from_secs(2), "{b:?}");
        let deadline = Instant::now() + Duration::from_secs(40);
        let mut page = String::new();
        while Instant::now() < deadline {
            page = html(&app, &c, "/pushes").await;
            if page.contains("超时") && page.contains("已推送") && seen.load(Ordering::SeqCst) >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(page.contains("已推送"), "{b:?}: pushes are delivered: {}", &page[page.find("<table").unwrap_or(0)..]);
        assert!(page.contains("超时") || page.contains("HTTP 500"), "{b:?}: failures are shown");
        assert!(seen.load(Ordering::SeqCst) >= 3, "{b:?}: the failed push was retried");
        let (chain1, _) = app.web_login("chain1").await;
        assert_eq!(chain1.get(format!("{}/pushes", app.base)).send().await.expect("get").status(), 403);
    }
}
