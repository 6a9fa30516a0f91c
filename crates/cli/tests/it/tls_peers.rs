//! Reminders reach their peers over TLS: an HTTPS webhook and a mail server by STARTTLS (with the
//! login sent only inside TLS) or by TLS from the first byte, each certificate checked against the
//! trust store the binary is given (`SSL_CERT_FILE`); a peer whose certificate is not trusted gets
//! nothing, and the failure is shown with its reason.

use crate::harness::{TestApp, backends, html};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

/// Runs `openssl` with the words of `args` in `dir`.
fn openssl(dir: &Path, args: &str) {
    let out =
        std::process::Command::new("openssl").current_dir(dir).args(args.split_whitespace()).output().expect("openssl");
    assert!(out.status.success(), "openssl {args}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A certificate authority in `dir`: `{name}.pem` and its key.
fn authority(dir: &Path, name: &str) -> PathBuf {
    openssl(
        dir,
        &format!(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -keyout {name}.key \
             -out {name}.pem -subj /CN={name} -addext basicConstraints=critical,CA:TRUE \
             -addext keyUsage=critical,keyCertSign,cRLSign"
        ),
    );
    dir.join(format!("{name}.pem"))
}

/// A server certificate for 127.0.0.1 signed by the authority `ca`, as a TLS acceptor.
fn acceptor(dir: &Path, ca: &str, name: &str) -> TlsAcceptor {
    std::fs::write(
        dir.join(format!("{name}.ext")),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    openssl(
        dir,
        &format!(
            "req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {name}.key -out {name}.csr \
             -subj /CN=127.0.0.1"
        ),
    );
    openssl(
        dir,
        &format!(
            "x509 -req -in {name}.csr -CA {ca}.pem -CAkey {ca}.key -CAcreateserial -days 30 -out {name}.pem \
             -extfile {name}.ext"
        ),
    );
    use pki_types::pem::PemObject;
    let certs = pki_types::CertificateDer::pem_file_iter(dir.join(format!("{name}.pem")))
        .expect("certificate file")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = pki_types::PrivateKeyDer::from_pem_file(dir.join(format!("{name}.key"))).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    TlsAcceptor::from(Arc::new(config))
}

/// An HTTPS webhook on 127.0.0.1 that answers 200 and keeps each request's body.
async fn https_webhook(tls: TlsAcceptor) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("https://{}/hook", listener.local_addr().expect("addr"));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (tls, kept) = (tls.clone(), kept.clone());
            tokio::spawn(async move {
                let Ok(mut stream) = tls.accept(socket).await else { return };
                let mut request = Vec::new();
                let mut buf = [0u8; 16 * 1024];
                loop {
                    let Ok(n) = stream.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    let Some((head, body)) = text.split_once("\r\n\r\n") else { continue };
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if body.len() >= length {
                        kept.lock().expect("lock").push(body.to_string());
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                            .await;
                        let _ = stream.shutdown().await;
                        return;
                    }
                }
            });
        }
    });
    (url, bodies)
}

/// What a mail server saw of one message: whether it came inside TLS, the login, the text.
#[derive(Clone, Debug)]
struct Received {
    secure: bool,
    login: Option<String>,
    data: String,
}

/// One SMTP conversation on `s`; returns true when the client asked to start TLS.
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut BufReader<S>,
    secure: bool,
    login: &mut Option<String>,
    kept: &Mutex<Vec<Received>>,
) -> bool {
    let mut data: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if !matches!(s.read_line(&mut line).await, Ok(n) if n > 0) {
            return false;
        }
        let l = line.trim_end();
        if let Some(body) = data.as_mut() {
            if l == "." {
                kept.lock().expect("lock").push(Received {
                    secure,
                    login: login.clone(),
                    data: data.take().unwrap_or_default(),
                });
                let _ = s.write_all(b"250 queued\r\n").await;
            } else {
                body.push_str(l);
                body.push('\n');
            }
            continue;
        }
        let verb = l.split(' ').next().unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" if secure => b"250-relay\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
            "EHLO" => b"250-relay\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
            "STARTTLS" => {
                let _ = s.write_all(b"220 go ahead\r\n").await;
                let _ = s.flush().await;
                return true;
            }
            "AUTH" if secure => {
                *login = l.split(' ').nth(2).map(str::to_string);
                b"235 accepted\r\n"
            }
            "AUTH" => b"538 encryption required\r\n",
            "DATA" => {
                data = Some(String::new());
                b"354 go ahead\r\n"
            }
            "QUIT" => {
                let _ = s.write_all(b"221 bye\r\n").await;
                return false;
            }
            _ => b"250 ok\r\n",
        };
        let _ = s.write_all(answer).await;
        let _ = s.flush().await;
    }
}

/// A mail server on 127.0.0.1 that offers STARTTLS (`implicit` false) or speaks TLS from the
/// first byte, and keeps what it received.
async fn mail_server(tls: TlsAcceptor, implicit: bool) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (tls, kept) = (tls.clone(), kept.clone());
            tokio::spawn(async move {
                let mut login = None;
                let socket = if implicit {
                    socket
                } else {
                    let mut plain = BufReader::new(socket);
                    let _ = plain.write_all(b"220 relay ready\r\n").await;
                    if !converse(&mut plain, false, &mut login, &kept).await {
                        return;
                    }
                    plain.into_inner()
                };
                let Ok(stream) = tls.accept(socket).await else { return };
                let mut secure = BufReader::new(stream);
                if implicit {
                    let _ = secure.write_all(b"220 relay ready\r\n").await;
                    let _ = secure.flush().await;
                }
                converse(&mut secure, true, &mut login, &kept).await;
            });
        }
    });
    (addr, mails)
}

/// The general office's push log once `done` holds of it, or after 40 s.
async fn pushes_until(app: &TestApp, done: impl Fn(&str) -> bool) -> String {
    let (c, _) = app.web_login("office").await;
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let page = html(app, &c, "/pushes").await;
        if done(&page) || Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn reminders_reach_an_https_webhook_and_a_mail_server_over_tls_and_never_an_untrusted_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let trusted = authority(dir.path(), "trusted-ca");
    authority(dir.path(), "rogue-ca");
    let trusted_ca = trusted.to_str().expect("path");
    for b in backends() {
        // Trusted: the webhook by HTTPS and mail by STARTTLS with a login.
        let (hook, bodies) = https_webhook(acceptor(dir.path(), "trusted-ca", "hook")).await;
        let (relay, mails) = mail_server(acceptor(dir.path(), "trusted-ca", "relay"), false).await;
        let app = TestApp::spawn_with(
            b,
            &[
                ("SSL_CERT_FILE", trusted_ca),
                ("CHAINCHIEF_WEB__WEBHOOK_URL", hook.as_str()),
                ("CHAINCHIEF_WEB__SMTP_SERVER", relay.as_str()),
                ("CHAINCHIEF_WEB__SMTP_SECURITY", "starttls"),
                ("CHAINCHIEF_WEB__SMTP_USERNAME", "lzt"),
                ("CHAINCHIEF_WEB__SMTP_PASSWORD", "Mail-Secret-9"),
                ("CHAINCHIEF_WEB__MAIL_FROM", "lzt@example.gov.cn"),
                ("CHAINCHIEF_WEB__MAIL_TO", "[\"zlb@example.gov.cn\"]"),
                ("CHAINCHIEF_WEB__NOTIFY_INTERVAL_SECONDS", "1"),
            ],
        )
        .await;
        pushes_until(&app, |_| !bodies.lock().expect("lock").is_empty() && !mails.lock().expect("lock").is_empty())
            .await;
        let pushed = bodies.lock().expect("lock").clone();
        assert!(pushed.iter().any(|p| p.contains("【链长通】")), "{b:?}: the webhook got the reminders: {pushed:?}");
        let mail = mails.lock().expect("lock").first().cloned().expect("a mail reached the server");
        assert!(mail.secure, "{b:?}: the mail went inside TLS");
        let login = mail.login.expect("the client signed in");
        use base64::Engine;
        let login = base64::engine::general_purpose::STANDARD.decode(login).expect("base64 login");
        assert_eq!(login, b"\0lzt\0Mail-Secret-9", "{b:?}: the login, sent only inside TLS");
        assert!(mail.data.to_ascii_lowercase().contains("to: zlb@example.gov.cn"), "{b:?}: {}", mail.data);
        drop(app);

        // A webhook whose certificate no trusted authority signed gets nothing and the log says
        // why; mail by TLS from the first byte to a trusted server is delivered.
        let (hook, bodies) = https_webhook(acceptor(dir.path(), "rogue-ca", "rogue")).await;
        let (relay, mails) = mail_server(acceptor(dir.path(), "trusted-ca", "relay"), true).await;
        let app = TestApp::spawn_with(
            b,
            &[
                ("SSL_CERT_FILE", trusted_ca),
                ("CHAINCHIEF_WEB__WEBHOOK_URL", hook.as_str()),
                ("CHAINCHIEF_WEB__SMTP_SERVER", relay.as_str()),
                ("CHAINCHIEF_WEB__SMTP_SECURITY", "tls"),
                ("CHAINCHIEF_WEB__MAIL_FROM", "lzt@example.gov.cn"),
                ("CHAINCHIEF_WEB__MAIL_TO", "[\"zlb@example.gov.cn\"]"),
                ("CHAINCHIEF_WEB__NOTIFY_INTERVAL_SECONDS", "1"),
            ],
        )
        .await;
        let page = pushes_until(&app, |p| p.contains("证书") && !mails.lock().expect("lock").is_empty()).await;
        assert!(bodies.lock().expect("lock").is_empty(), "{b:?}: nothing reached the untrusted webhook");
        assert!(page.contains("证书不受信任"), "{b:?}: the log says the certificate is not trusted: {page}");
        let mail = mails.lock().expect("lock").first().cloned().expect("a mail reached the server");
        assert!(mail.secure && mail.login.is_none(), "{b:?}: TLS from the first byte, no login set");
    }
}
