//! `chainchief`: serve the web application, run the demo, and every batch job from the command line.

mod anchors;
mod commands;
mod config;
mod demo;
mod demo_factors;
mod demo_figures;
mod demo_innovation;
mod demo_work;
mod library_cmd;
mod maps_cmd;
mod serve;
mod synth;
mod values_cmd;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// 链长通 ChainChief — 产业链链长制工作平台
#[derive(Parser)]
#[command(name = "chainchief", version, about)]
struct Cli {
    /// Database URL: sqlite://PATH or postgres://… (default: the demo's SQLite file).
    #[arg(long, global = true, env = "CHAINCHIEF_DATABASE_URL")]
    database_url: Option<String>,
    /// Settings file (TOML); see chainchief.example.toml.
    #[arg(long, global = true, env = "CHAINCHIEF_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the demo city (on DIR/chainchief.db unless --database-url is given): loads the Miluo plan and demo accounts, then serves.
    Demo {
        /// Directory of the demo database.
        #[arg(long, default_value = "chainchief-demo")]
        data_dir: PathBuf,
        /// Address to listen on.
        #[arg(long)]
        bind: Option<String>,
        /// Port to listen on (0 picks a free port).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Serve the web application and API.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        bind: Option<String>,
        /// Port to listen on (0 picks a free port).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply database migrations.
    Migrate,
    /// Plan files.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        command: commands::UserCommand,
    },
    /// Write an online, consistent backup (an SQLite file) while the server runs.
    Backup {
        /// Backup file to create.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Restore a backup into an empty database and verify it.
    Restore {
        /// Backup file.
        file: PathBuf,
    },
    /// Export data files.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Import data files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Render a chain's map (CHAIN is the chain's id or exact name).
    Map {
        /// Chain id or exact name.
        chain: String,
        /// Year (the current year's live map).
        #[arg(long)]
        year: Option<i32>,
        /// panorama (全景图) or status (现状图).
        #[arg(long, default_value = "panorama")]
        kind: String,
        /// svg, json or dot.
        #[arg(long, default_value = "svg")]
        format: String,
        /// Output file.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Freeze this year's chain maps as yearly versions (all leading chains, or one).
    Snapshot {
        /// Year of the version.
        #[arg(long)]
        year: i32,
        /// Chain id or exact name (default: every chain that has a chain office).
        #[arg(long)]
        chain: Option<String>,
    },
    /// A report as a document in the official layout (GB/T 9704-2012): the stored one, or drafted from the data.
    Report {
        /// City code.
        #[arg(long)]
        city: String,
        /// monthly, quarterly, analysis (year-end chain analysis), investment (year-end investment report) or bundle (五图五清单).
        #[arg(long)]
        kind: String,
        /// Chain code (every kind but quarterly).
        #[arg(long)]
        chain: Option<String>,
        /// Period: YYYY-MM for monthly, YYYY-Qn for quarterly, YYYY for the year-end reports and the bundle.
        #[arg(long)]
        period: String,
        /// docx or pdf (xlsx: the lists of the bundle).
        #[arg(long, default_value = "docx")]
        format: String,
        /// Output file.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Generate synthetic data files for load tests and benchmarks.
    Synth {
        #[command(subcommand)]
        command: SynthCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Validate and load a city's plan file (TOML); refused whole with line numbers on any error.
    Import {
        /// Plan file.
        file: PathBuf,
    },
    /// Validate a plan file without loading it.
    Check {
        /// Plan file.
        file: PathBuf,
    },
    /// Draft the measures, responsible units and quotas of a plan's text (UTF-8 or GB18030) in the
    /// plan-file format, for a person to review; what cannot be read is listed, never invented.
    Extract {
        /// The plan's text.
        file: PathBuf,
        /// Write the draft here instead of printing it.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum SynthCommand {
    /// An enterprise sheet (CSV, import template columns) with valid credit codes.
    Enterprises {
        /// Number of rows.
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Seed (the same seed gives the same file).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Put every enterprise on this chain (its name).
        #[arg(long)]
        chain: Option<String>,
        /// Output file (.csv).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// A maps file adding nodes, enterprises placed on them and their relations to one chain.
    Maps {
        /// Chain code.
        #[arg(long)]
        chain: String,
        /// Park code of the enterprises.
        #[arg(long)]
        park: String,
        /// Number of nodes.
        #[arg(long, default_value_t = 300)]
        nodes: usize,
        /// Number of enterprises.
        #[arg(long, default_value_t = 2000)]
        enterprises: usize,
        /// Seed (the same seed gives the same file).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (.toml).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Monthly figures for every enterprise of a synthetic enterprise sheet, one CSV per year.
    Values {
        /// The enterprise sheet (credit codes in the first column).
        #[arg(long)]
        enterprises: PathBuf,
        /// Indicators as code:unit, comma-separated.
        #[arg(long)]
        indicators: String,
        /// Last month, YYYY-MM.
        #[arg(long)]
        end: String,
        /// Number of months.
        #[arg(long, default_value_t = 60)]
        months: u32,
        /// Output directory.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A year's monthly figures as .xlsx (the import template's columns, and a sheet of provenance).
    Values {
        /// City code.
        #[arg(long)]
        city: String,
        /// Year.
        #[arg(long)]
        year: i32,
        /// Output file (.xlsx).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The enterprise library as .xlsx (the import template's columns).
    Enterprises {
        /// City code.
        #[arg(long)]
        city: String,
        /// Output file (.xlsx).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import monthly figures from .xlsx or .csv; all or nothing, errors by row and column; re-import changes nothing.
    Values {
        /// City code.
        #[arg(long)]
        city: String,
        /// The file.
        file: PathBuf,
    },
    /// Import enterprises from .xlsx or .csv (UTF-8 or GB18030); all or nothing, errors by row and column.
    Enterprises {
        /// City code.
        #[arg(long)]
        city: String,
        /// Accept matches found only by normalised name (otherwise they are listed for review and nothing is stored).
        #[arg(long)]
        accept_name_matches: bool,
        /// The file.
        file: PathBuf,
    },
    /// Seed chain maps and enterprises from a maps file (adds what is missing, never overwrites).
    Maps {
        /// City code.
        #[arg(long)]
        city: String,
        /// Maps file (TOML).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit hash chain, its numbering and its signed anchors; exits non-zero naming the first fault.
    Verify,
    /// Append the chain's signed head to the anchor file now (the server does so every minute it moved).
    Anchor,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CHAINCHIEF_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法启动：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut cfg = config::Config::load(cli.config.as_deref())?;
    let explicit_url = cli.database_url.clone();
    if let Some(url) = cli.database_url {
        cfg.database_url = url;
    }
    let db = commands::Db::of(&cfg)?;
    match cli.command {
        Command::Demo { data_dir, bind, port } => demo::run(cfg, explicit_url, &data_dir, bind, port).await,
        Command::Serve { bind, port } => {
            cfg.bind = bind.unwrap_or(cfg.bind);
            cfg.port = port.unwrap_or(cfg.port);
            let store = db.open().await?;
            serve::serve(store, &cfg, |url| println!("链长通已启动：{url}")).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => commands::migrate(&db).await,
        Command::Plan { command: PlanCommand::Import { file } } => commands::plan_import(&db, &file).await,
        Command::Plan { command: PlanCommand::Check { file } } => commands::plan_check(&file),
        Command::Plan { command: PlanCommand::Extract { file, output } } => {
            commands::plan_extract(&file, output.as_deref())
        }
        Command::User { command } => commands::user(&db, command).await,
        Command::Backup { output } => commands::backup(&db, &cfg, &output).await,
        Command::Restore { file } => commands::restore(&db, &cfg, &file).await,
        Command::Audit { command: AuditCommand::Verify } => commands::audit_verify(&db, &cfg).await,
        Command::Audit { command: AuditCommand::Anchor } => commands::audit_anchor(&db, &cfg).await,
        Command::Import { command: ImportCommand::Maps { city, file } } => maps_cmd::import(&db, &city, &file).await,
        Command::Synth { command: SynthCommand::Enterprises { rows, seed, chain, output } } => {
            synth::enterprises(rows, seed, chain.as_deref(), &output)
        }
        Command::Synth { command: SynthCommand::Maps { chain, park, nodes, enterprises, seed, output } } => {
            synth::maps(&chain, &park, nodes, enterprises, seed, &output)
        }
        Command::Synth { command: SynthCommand::Values { enterprises, indicators, end, months, output } } => {
            synth::values(&enterprises, &indicators, &end, months, &output)
        }
        Command::Report { city, kind, chain, period, format, output } => {
            commands::report(&cfg, &city, &kind, chain.as_deref(), &period, &format, &output).await
        }
        Command::Snapshot { year, chain } => maps_cmd::snapshot(&db, year, chain.as_deref()).await,
        Command::Map { chain, year, kind, format, output } => {
            maps_cmd::render(&db, &chain, year, &kind, &format, &output).await
        }
        Command::Import { command: ImportCommand::Enterprises { city, accept_name_matches, file } } => {
            library_cmd::import(&db, &city, &file, accept_name_matches).await
        }
        Command::Import { command: ImportCommand::Values { city, file } } => {
            values_cmd::import(&db, &city, &file).await
        }
        Command::Export { command: ExportCommand::Values { city, year, output } } => {
            values_cmd::export(&db, &city, year, &output).await
        }
        Command::Export { command: ExportCommand::Enterprises { city, output } } => {
            library_cmd::export(&db, &city, &output).await
        }
    }
}
