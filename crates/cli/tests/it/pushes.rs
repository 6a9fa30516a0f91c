//! Reminders pushed to a webhook and mailed: a delivery that times out or fails is recorded and retried,
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

/// An SMTP relay that refuses the first message at RCPT and takes the later ones; it keeps what
/// it was sent.
async fn relay() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::AsyncBufReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let mails = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((socket, _)) = listener.accept().await {
            n += 1;
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = tokio::io::BufReader::new(read).lines();
                let _ = write.write_all(b"220 relay ready\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            kept.lock().expect("lock").push(data.take().unwrap_or_default());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let answer: &[u8] = match line.get(..4).unwrap_or_default() {
                        "EHLO" => b"250-relay\r\n250 8BITMIME\r\n",
                        "RCPT" if n == 1 => b"550 5.1.1 mailbox unavailable\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => b"221 bye\r\n",
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (addr, mails)
}

#[tokio::test]
async fn reminders_are_mailed_as_a_digest_and_a_refused_mail_is_retried_visibly() {
    use base64::Engine;
    for b in backends() {
        let (addr, mails) = relay().await;
        let app = TestApp::spawn_with(
            b,
            &[
                ("CHAINCHIEF_WEB__SMTP_SERVER", addr.as_str()),
                ("CHAINCHIEF_WEB__MAIL_FROM", "lzt@example.gov.cn"),
                ("CHAINCHIEF_WEB__MAIL_TO", "[\"zlb@example.gov.cn\"]"),
                ("CHAINCHIEF_WEB__NOTIFY_INTERVAL_SECONDS", "1"),
            ],
        )
        .await;
        let (c, _) = app.web_login("office").await;
        let deadline = Instant::now() + Duration::from_secs(40);
        let mut page = String::new();
        while Instant::now() < deadline {
            page = html(&app, &c, "/pushes").await;
            if page.contains("mailbox unavailable") && page.contains("已推送") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(page.contains("邮件") && page.contains("mailbox unavailable"), "{b:?}: the refusal is shown");
        assert!(page.contains("已推送"), "{b:?}: the retry is delivered");
        let sent = mails.lock().expect("lock").clone();
        assert!(!sent.is_empty(), "{b:?}: a mail reached the relay");
        let (headers, body) = sent[0].split_once("\n\n").expect("headers and body");
        let lower = headers.to_ascii_lowercase();
        assert!(lower.contains("to: zlb@example.gov.cn") && lower.contains("subject: =?utf-8?b?"), "{b:?}: {headers}");
        let text = base64::engine::general_purpose::STANDARD
            .decode(body.split_whitespace().collect::<String>())
            .expect("base64 body");
        let text = String::from_utf8(text).expect("utf-8");
        assert!(
            text.contains("链长通今日提醒") && text.contains("尚未"),
            "{b:?}: the digest lists the reminders: {text}"
        );
    }
}
