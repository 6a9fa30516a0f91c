//! Rules of the code's shape, checked on the source tree: one clock.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn only_the_clock_reads_the_system_time() {
    let clock = crates_dir().join("domain/src/clock.rs").canonicalize().expect("clock.rs");
    let mut files = Vec::new();
    sources(&crates_dir(), &mut files);
    assert!(files.len() > 100, "the walk finds the sources");
    // Written without their parenthesis so that this file does not name them itself.
    let forbidden =
        ["Utc::now", "Local::now", "SystemTime::now", "Utc::today", "Local::today"].map(|p| format!("{p}("));
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| f.canonicalize().ok().as_ref() != Some(&clock))
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let hit = forbidden.iter().find(|p| text.contains(*p))?;
            Some(format!("{} uses {hit}", f.display()))
        })
        .collect();
    assert!(offenders.is_empty(), "read the time from the one Clock instead:\n{}", offenders.join("\n"));
}

/// The string literals of the form `word.word` (with `only_actions`, on lines that name an action
/// or follow one that does).
fn action_literals(text: &str, only_actions: bool) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let near_action = |i: usize| lines[i].contains("action") || (i > 0 && lines[i - 1].contains("action"));
    for line in (0..lines.len()).filter(|i| !only_actions || near_action(*i)).map(|i| lines[i]) {
        for (i, piece) in line.split('"').enumerate() {
            let looks_like = !piece.is_empty()
                && piece.contains('.')
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
            if i % 2 == 1 && looks_like {
                out.push(piece.to_string());
            }
        }
    }
    out
}

#[test]
fn every_audited_action_is_listed_with_what_it_does() {
    use chainchief_store::audit::ACTIONS;
    let mut files = Vec::new();
    for dir in ["store/src", "web/src", "app/src"] {
        sources(&crates_dir().join(dir), &mut files);
    }
    let listed = |a: &str| ACTIONS.iter().any(|(name, _)| *name == a);
    let (mut written, mut anywhere) = (Vec::new(), Vec::new());
    for f in files.iter().filter(|f| !f.ends_with("audit.rs")) {
        let text = std::fs::read_to_string(f).expect("source");
        written.extend(action_literals(&text, true));
        anywhere.extend(action_literals(&text, false));
    }
    assert!(written.len() > 40, "the scan finds the actions");
    let unlisted: Vec<&String> = written.iter().filter(|a| !listed(a)).collect();
    assert!(unlisted.is_empty(), "list these in store::audit::ACTIONS: {unlisted:?}");
    let stale: Vec<&str> = ACTIONS.iter().map(|a| a.0).filter(|a| !anywhere.iter().any(|w| w == a)).collect();
    assert!(stale.is_empty(), "listed but never written: {stale:?}");
}

#[test]
fn the_web_crate_holds_no_sql_and_the_command_line_uses_it_only_to_serve() {
    let web = crates_dir().join("web");
    let manifest = std::fs::read_to_string(web.join("Cargo.toml")).expect("web manifest");
    assert!(!manifest.contains("sqlx"), "crates/web must reach the database through crates/app and crates/store");
    let mut files = Vec::new();
    sources(&web.join("src"), &mut files);
    let sql: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("sqlx::") || t.contains("SELECT ")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(sql.is_empty(), "SQL in crates/web: {sql:?}");
    let mut cli = Vec::new();
    sources(&crates_dir().join("cli/src"), &mut cli);
    let serving = ["serve.rs", "config.rs"];
    let uses: Vec<String> = cli
        .iter()
        .filter(|f| !serving.iter().any(|s| f.ends_with(s)))
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("chainchief_web")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(uses.is_empty(), "the command line calls the use cases, not the web crate: {uses:?}");
}
