//! A plain SMTP client for reminders by e-mail [X2]: one message to a relay on the intranet (RFC
//! 5321: EHLO, MAIL, RCPT, DATA, QUIT), UTF-8 text encoded as base64, every reply checked, the
//! whole exchange bounded by a timeout. No TLS and no login: the relay accepts mail from this host.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

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

/// The message as it is sent after DATA: headers, a blank line, the body in base64 lines of 76.
pub fn message(m: &Mail, date: &str) -> String {
    let subject = format!("=?UTF-8?B?{}?=", STANDARD.encode(m.subject));
    let body = STANDARD.encode(m.body);
    let lines: Vec<&str> = body.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!(
        "From: {}\r\nTo: {}\r\nSubject: {subject}\r\nDate: {date}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        m.from,
        m.to.join(", "),
        lines.join("\r\n")
    )
}

/// Reads one reply (all its lines) and checks its code is one of `ok`.
async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, ok: &[u16], step: &str) -> Result<(), String> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.map_err(|e| format!("{step}：{e}"))? == 0 {
            return Err(format!("{step}：服务器断开了连接"));
        }
        text.push_str(line.trim_end());
        // "250-…" continues, "250 …" ends the reply.
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
        text.push(' ');
    }
    let code: u16 = text.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    if ok.contains(&code) { Ok(()) } else { Err(format!("{step}：{text}")) }
}

async fn exchange(server: &str, helo: &str, m: &Mail<'_>) -> Result<(), String> {
    let stream = TcpStream::connect(server).await.map_err(|e| format!("无法连接 {server}：{e}"))?;
    let (read, mut write) = stream.into_split();
    let mut r = BufReader::new(read);
    reply(&mut r, &[220], "问候").await?;
    let mut say = async |line: String, ok: &[u16], step: &str| -> Result<(), String> {
        write.write_all(line.as_bytes()).await.map_err(|e| format!("{step}：{e}"))?;
        reply(&mut r, ok, step).await
    };
    say(format!("EHLO {helo}\r\n"), &[250], "EHLO").await?;
    say(format!("MAIL FROM:<{}>\r\n", m.from), &[250], "MAIL FROM").await?;
    for to in m.to {
        say(format!("RCPT TO:<{to}>\r\n"), &[250, 251], "RCPT TO").await?;
    }
    say("DATA\r\n".into(), &[354], "DATA").await?;
    let date = chrono::DateTime::from_timestamp_millis(m.at).unwrap_or_default().to_rfc2822();
    say(format!("{}.\r\n", message(m, &date)), &[250], "发送正文").await?;
    say("QUIT\r\n".into(), &[221, 250], "QUIT").await
}

/// Sends `m` through the relay at `server` (host:port) within `timeout`; the error says which
/// step failed and what the server answered.
pub async fn send(server: &str, helo: &str, m: &Mail<'_>, timeout: Duration) -> Result<(), String> {
    if m.to.is_empty() {
        return Err("没有设置收件人".into());
    }
    let bad = |s: &str| s.contains(['\r', '\n', '<', '>']);
    if bad(m.from) || m.to.iter().any(|t| bad(t)) {
        return Err("邮件地址含有非法字符".into());
    }
    tokio::time::timeout(timeout, exchange(server, helo, m)).await.map_err(|_| "超时".to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_headers_and_base64_lines() {
        let to = vec!["a@example.gov.cn".to_string(), "b@example.gov.cn".to_string()];
        let body = "月报尚未提交。\n".repeat(20);
        let m = Mail { from: "lzt@example.gov.cn", to: &to, subject: "链长通提醒", body: &body, at: 0 };
        let text = message(&m, "Thu, 26 Nov 2026 08:00:00 +0000");
        assert!(text.contains("To: a@example.gov.cn, b@example.gov.cn\r\n"));
        assert!(text.contains(&format!("Subject: =?UTF-8?B?{}?=", STANDARD.encode("链长通提醒"))));
        let (_, body) = text.split_once("\r\n\r\n").expect("blank line");
        assert!(body.lines().all(|l| l.trim_end().len() <= 76), "lines of at most 76");
        assert!(!body.lines().any(|l| l.starts_with('.')), "base64 never starts a line with a dot");
        let decoded = STANDARD.decode(body.split_whitespace().collect::<String>()).expect("base64");
        assert_eq!(String::from_utf8(decoded).expect("utf-8"), m.body);
    }
}
