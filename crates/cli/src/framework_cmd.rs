//! `ladder framework validate|show|apply|history`, and the framework in force for a database:
//! the built-in one with the organisation's overlay stored in it (`ladder framework apply`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use ladder_core::framework::{Framework, FrameworkOverlay, LoadError, Role};
use ladder_store::overlays;
use ladder_store::Db;

use crate::db_arg::DatabaseArgs;

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework file, or an overlay (the `--extend` form) laid over the built-in
    /// framework, and list every problem with where it is.
    Validate {
        /// The framework or overlay file (TOML).
        file: PathBuf,
    },
    /// Store an overlay (the `--extend` form) in the database as the organisation's framework:
    /// `serve`, `import` and `score-all` use it from then on, without a flag. Each apply is a
    /// new version, with who applied it and when.
    Apply {
        /// The overlay file (TOML).
        file: PathBuf,
        /// Who applies it, for the record (default: $USER).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// List the overlay versions stored in the database, newest (in force) first.
    History {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Print the framework, or one role in full.
    Show {
        /// A role id, e.g. team-leader.
        role: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// The `--framework` and `--extend` flags.
#[derive(Debug, Clone, Default)]
pub struct FrameworkFlags {
    pub replace: Option<PathBuf>,
    pub extend: Option<PathBuf>,
}

pub fn run(cmd: FrameworkCommand, flags: FrameworkFlags) -> anyhow::Result<ExitCode> {
    match cmd {
        FrameworkCommand::Validate { file } => validate(&file),
        FrameworkCommand::Apply { file, by, db } => apply(&file, by, &db),
        FrameworkCommand::History { db } => history(&db),
        FrameworkCommand::Show { role, json } => {
            let fw = crate::load_framework(&flags)?;
            match role {
                Some(id) => {
                    let role = fw.find_role(&id).map_err(anyhow::Error::msg)?;
                    if json {
                        crate::print_json(role)?;
                    } else {
                        print!("{}", describe_role(&fw, role));
                    }
                }
                None if json => crate::print_json(&fw)?,
                None => print!("{}", overview(&fw)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The built-in framework with an overlay laid over it, checked as a whole.
pub fn extended(text: &str) -> Result<Framework, LoadError> {
    Framework::default_with_overlay(text)
}

/// Reads a framework or overlay file, refusing one past what the database stores.
fn read_limited(file: &Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?.len();
    if size > overlays::MAX_OVERLAY_BYTES as u64 {
        anyhow::bail!(
            "{} is {size} bytes; a framework file is at most {} bytes",
            file.display(),
            overlays::MAX_OVERLAY_BYTES
        );
    }
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

fn validate(file: &Path) -> anyhow::Result<ExitCode> {
    let text = read_limited(file)?;
    // A whole framework parses as one; anything else is read as an overlay of the built-in one.
    if Framework::parse(&text).is_err() {
        if let Ok(overlay) = FrameworkOverlay::parse(&text) {
            let summary = format!(
                "{} role(s), {} path(s), {} skill(s), {} certification(s), {} metric(s){}{}",
                overlay.roles.len(),
                overlay.paths.len(),
                overlay.skills.len(),
                overlay.certifications.len(),
                overlay.metrics.len(),
                if overlay.scoring.is_some() { ", scoring rules" } else { "" },
                if overlay.settings.is_some() { ", settings" } else { "" },
            );
            return Ok(match extended(&text) {
                Ok(_) => {
                    println!(
                        "{}: a valid overlay of the built-in framework — it adds or replaces {summary}",
                        file.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}: an overlay of the built-in framework ({summary}); laid over it:", file.display());
                    print_problems(file, e);
                    ExitCode::FAILURE
                }
            });
        }
    }
    match Framework::load(&text) {
        Ok(fw) => {
            println!(
                "{}: valid — {} roles, {} paths, {} skills, {} certifications, {} metrics (scoring rules {})",
                file.display(),
                fw.roles.len(),
                fw.paths.len(),
                fw.skills.len(),
                fw.certifications.len(),
                fw.metrics.len(),
                fw.scoring.version
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            print_problems(file, e);
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_problems(file: &Path, e: LoadError) {
    match e {
        LoadError::Syntax(message) => eprintln!("{}: {message}", file.display()),
        LoadError::Invalid(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            eprintln!("{} problem(s) found", problems.len());
        }
    }
}

fn apply(file: &Path, by: Option<String>, db: &DatabaseArgs) -> anyhow::Result<ExitCode> {
    let text = read_limited(file)?;
    if let Err(e) = extended(&text) {
        print_problems(file, e);
        eprintln!("Nothing was stored.");
        return Ok(ExitCode::FAILURE);
    }
    let by = by.or_else(|| std::env::var("USER").ok()).filter(|b| !b.trim().is_empty()).unwrap_or("unknown".into());
    if by.len() > overlays::MAX_APPLIED_BY {
        anyhow::bail!("--by is at most {} characters", overlays::MAX_APPLIED_BY);
    }
    crate::serve_cmd::runtime()?.block_on(async {
        let db = db.open().await?;
        let current = overlays::current(&db).await?;
        if let Some(c) = current.filter(|c| c.sha256 == overlays::sha256(&text)) {
            println!(
                "{} is already the framework in force (version {}, applied by {}).",
                file.display(),
                c.version,
                c.applied_by
            );
        } else {
            let version = overlays::apply(&db, &text, by.trim()).await?;
            println!(
                "Stored {} as framework overlay version {version} (applied by {}). `ladder serve`, `import` and \
                 `score-all` on this database use it from now on; a running server takes it up within seconds.",
                file.display(),
                by.trim()
            );
        }
        db.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn history(db: &DatabaseArgs) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async {
        let db = db.open().await?;
        let versions = overlays::history(&db).await?;
        db.close().await;
        if versions.is_empty() {
            println!("No framework overlay is stored: the built-in framework is in force.");
        }
        for (i, (version, sha256, by, at)) in versions.iter().enumerate() {
            let now = if i == 0 { "  (in force)" } else { "" };
            println!(
                "version {version}  {}  applied by {by}  sha256 {}{now}",
                at.format("%Y-%m-%d %H:%M UTC"),
                &sha256[..12]
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The framework to use with a database: the built-in one with the overlay stored in it, if
/// any (`from_flags` otherwise). With an overlay stored, `--framework` is refused, and so is an
/// `--extend` that makes a different framework: one database is scored by one framework.
pub async fn in_force(db: &Db, from_flags: Framework, flags: &FrameworkFlags) -> anyhow::Result<Framework> {
    let Some(stored) = overlays::current(db).await? else { return Ok(from_flags) };
    let which = format!(
        "the framework overlay stored in the database (version {}, applied by {} on {})",
        stored.version,
        stored.applied_by,
        stored.applied_at.format("%Y-%m-%d")
    );
    let with_stored =
        extended(&stored.overlay).with_context(|| format!("{which} no longer fits the built-in framework"))?;
    if flags.replace.is_some() {
        anyhow::bail!(
            "this database is scored with {which}; --framework would use another. Run without --framework, or \
             store your changes as an overlay with `ladder framework apply FILE`."
        );
    }
    if let Some(path) = &flags.extend {
        if serde_json::to_value(&from_flags)? != serde_json::to_value(&with_stored)? {
            anyhow::bail!(
                "--extend {} differs from {which}. Run without --extend to use the stored one, or store this \
                 file first: `ladder framework apply {}`.",
                path.display(),
                path.display()
            );
        }
    }
    Ok(with_stored)
}

fn overview(fw: &Framework) -> String {
    let mut out = format!("{} ({} {})\n\nRoles\n", fw.meta.name, fw.meta.id, fw.meta.version);
    let mut roles: Vec<&Role> = fw.roles.iter().collect();
    roles.sort_by_key(|r| (r.level, r.family, r.id.clone()));
    for r in roles {
        out += &format!("  L{} {:<32} {:<17} {}\n", r.level, r.id, format!("{:?}", r.family), r.name);
    }
    out += "\nPaths (typical months in the first role)\n";
    for p in &fw.paths {
        out += &format!("  {} → {}: {}–{} months\n", p.from, p.to, p.months_min, p.months_max);
    }
    out += "\nMetrics\n";
    for m in &fw.metrics {
        let ratio = m.denominator.as_deref().map_or(String::from("(sum)"), |d| format!("÷ {d}"));
        out += &format!(
            "  {:<22} {:<8} threshold {} / target {} / stretch {}   = {} {}\n",
            m.id,
            format!("{:?}", m.direction).to_lowercase(),
            m.threshold,
            m.target,
            m.stretch,
            m.numerator,
            ratio
        );
    }
    out += &format!(
        "\n{} skills, {} certifications. `ladder framework show ROLE` for a role in full.\n",
        fw.skills.len(),
        fw.certifications.len()
    );
    out
}

fn describe_role(fw: &Framework, r: &Role) -> String {
    let mut out = format!("{} ({})\n  {}\n", r.name, r.id, r.summary);
    out += &format!("  family {:?}, level {}, education {:?}\n", r.family, r.level, r.education);
    if !r.shifts.is_empty() {
        out += &format!("  shifts: {}\n", r.shifts);
    }
    if let Some(c) = &r.isco08 {
        out += &format!("  ISCO-08 {c}");
        out += &r.onet_soc.as_ref().map(|o| format!(", O*NET-SOC {o}\n")).unwrap_or_else(|| "\n".into());
    }
    if !r.kras.is_empty() {
        out += "\n  KRAs\n";
        for k in &r.kras {
            let m = fw.metric(&k.metric);
            out += &format!(
                "    {:>5.1}%  {:<22} target {}\n",
                k.weight,
                k.metric,
                k.target.or(m.map(|m| m.target)).unwrap_or_default()
            );
        }
    }
    let req = &r.requirements;
    out += &format!("\n  To move into this role\n    {} months in the current role\n", req.min_tenure_months);
    if let Some(min) = req.min_rating {
        let label = fw.scoring.band(min).map(|b| b.label.as_str()).unwrap_or("");
        out += &format!("    rating {min} ({label}) or better over the last {} months\n", req.rating_months);
    }
    for (skill, level) in &req.skills {
        let name = fw.skill(skill).map_or(skill.as_str(), |s| s.name.as_str());
        out += &format!("    {name} at level {level}\n");
    }
    for c in &req.certifications {
        out += &format!("    certification: {}\n", fw.certification(c).map_or(c.as_str(), |c| c.name.as_str()));
    }
    for c in &req.preferred_certifications {
        out += &format!("    preferred: {}\n", fw.certification(c).map_or(c.as_str(), |c| c.name.as_str()));
    }
    let next: Vec<String> =
        fw.paths_from(&r.id).map(|p| format!("{} ({}–{} months)", p.to, p.months_min, p.months_max)).collect();
    if !next.is_empty() {
        out += &format!("\n  Next roles: {}\n", next.join(", "));
    }
    out
}
