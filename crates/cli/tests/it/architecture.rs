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
