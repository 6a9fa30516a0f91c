//! Settings: defaults, then an optional TOML file, then `CHAINCHIEF_*` environment variables.

use chainchief_web::WebConfig;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The default database: the demo's SQLite file.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://chainchief-demo/chainchief.db";

/// All settings of the binary.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: String,
    /// Port to listen on (0 picks a free one).
    pub port: u16,
    /// Start the clock at this instant (RFC 3339, e.g. `2026-12-31T17:00:00Z`) and let it run on
    /// from there, for rehearsals and tests of period ends; empty: the system clock.
    pub clock_start: String,
    /// The key that signs the audit chain's anchors (created on first use, readable by the
    /// server's user only); empty: beside an SQLite database, none for PostgreSQL.
    pub audit_key_file: String,
    /// Where the server appends the audit chain's signed head every minute it moved; empty:
    /// beside an SQLite database, none for PostgreSQL.
    pub audit_anchor_file: String,
    /// Web settings.
    pub web: WebConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DEFAULT_DATABASE_URL.into(),
            bind: "127.0.0.1".into(),
            port: 8080,
            clock_start: String::new(),
            audit_key_file: String::new(),
            audit_anchor_file: String::new(),
            web: WebConfig::default(),
        }
    }
}

impl Config {
    /// Loads settings from the layers.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut f = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                anyhow::bail!("找不到配置文件 {}", path.display());
            }
            f = f.merge(Toml::file(path));
        }
        Ok(f.merge(Env::prefixed("CHAINCHIEF_").split("__")).extract()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_matches_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../chainchief.example.toml");
        let text = std::fs::read_to_string(&path).expect("example config");
        let from_file: Config = toml_like(&text);
        let defaults = Config::default();
        assert_eq!(serde_json::to_value(&from_file).ok(), serde_json::to_value(&defaults).ok());
    }

    fn toml_like(text: &str) -> Config {
        Figment::from(Toml::string(text)).extract().expect("example config parses")
    }
}
