//! Reminders by e-mail [X2] through lettre: one message to the deployment's mail server, reached
//! in the clear (a relay on the intranet that takes mail from this host), by STARTTLS, or by TLS
//! from the first byte, and signed in to when a user name is set; certificates are checked against
//! the system's trust store. The whole exchange is bounded by a timeout.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// A message to send.
pub struct Mail<'a> {
    /// Envelope and header sender, e.g. lzt@example.gov.cn.
    pub from: &'a str,
    /// Recipients.
    pub to: &'a [String],
    /// Subject (any Unicode).
    pub subject: &'a str,
    /// Plain-text body (any Unicode).
    pub body: &'a str,
    /// When it is sent, in epoch milliseconds from the one clock.
    pub at: i64,
}

/// How the mail server is reached (`web.smtp_security`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// In the clear: a relay on the intranet.
    None,
    /// Plain connection upgraded by STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// The mail server of the deployment.
pub struct Server<'a> {
    /// host:port.
    pub address: &'a str,
    /// How it is reached.
    pub security: Security,
    /// The user name to sign in with, or empty.
    pub username: &'a str,
    /// Its password.
    pub password: &'a str,
}

/// The message as sent: UTF-8 text in base64, dated by the one clock.
pub fn message(m: &Mail) -> Result<Message, String> {
    let mailbox = |s: &str| s.parse::<Mailbox>().map_err(|e| format!("邮件地址“{s}”无效：{e}"));
    let mut b = Message::builder()
        .from(mailbox(m.from)?)
        .subject(m.subject)
        .date(std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(m.at).unwrap_or(0)));
    for to in m.to {
        b = b.to(mailbox(to)?);
    }
    let part = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .header(ContentTransferEncoding::Base64)
        .body(m.body.to_string());
    b.singlepart(part).map_err(|e| format!("邮件无法生成：{e}"))
}

/// Sends `m` through `server` within `timeout`; the error says what the server answered.
pub async fn send(server: &Server<'_>, m: &Mail<'_>, timeout: Duration) -> Result<(), String> {
    if m.to.is_empty() {
        return Err("没有设置收件人".into());
    }
    let message = message(m)?;
    let (host, port) = match server.address.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("邮件服务器地址“{}”的端口无效", server.address))?),
        None => (server.address, if server.security == Security::Tls { 465 } else { 25 }),
    };
    let builder = match server.security {
        Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| e.to_string())?,
        Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(port).timeout(Some(timeout)).hello_name(ClientId::Domain("chainchief".into()));
    if !server.username.is_empty() {
        builder = builder.credentials(Credentials::new(server.username.into(), server.password.into()));
    }
    let transport = builder.build();
    let sent = tokio::time::timeout(timeout, transport.send(message)).await.map_err(|_| "超时".to_string())?;
    sent.map(|_| ()).map_err(|e| {
        if e.is_permanent() || e.is_transient() {
            format!("邮件服务器拒收：{e}")
        } else {
            format!("无法连接邮件服务器：{}", crate::notify::why(&e))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_utf8_in_base64_with_an_encoded_subject() {
        let to = vec!["a@example.gov.cn".to_string(), "b@example.gov.cn".to_string()];
        let body = "月报尚未提交。\n".repeat(20);
        let m = Mail { from: "lzt@example.gov.cn", to: &to, subject: "链长通提醒", body: &body, at: 0 };
        let text = String::from_utf8(message(&m).expect("message").formatted()).expect("ascii");
        assert!(text.contains("To: a@example.gov.cn, b@example.gov.cn\r\n"), "{text}");
        assert!(text.to_ascii_lowercase().contains("subject: =?utf-8?b?"), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: base64"), "{text}");
        assert!(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"), "dated by the given clock: {text}");
        let bad = Mail { from: "not an address", ..m };
        assert!(message(&bad).is_err());
    }
}
