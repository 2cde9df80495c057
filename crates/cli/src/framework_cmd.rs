//! `ladder framework validate|show`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use ladder_core::framework::{Framework, LoadError, Role};

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework file and list every problem with where it is.
    Validate {
        /// The framework file (TOML).
        file: PathBuf,
    },
    /// Print the framework, or one role in full.
    Show {
        /// A role id, e.g. team-leader.
        role: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: FrameworkCommand, replace: Option<PathBuf>, extend: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    match cmd {
        FrameworkCommand::Validate { file } => validate(&file),
        FrameworkCommand::Show { role, json } => {
            let fw = crate::load_framework(replace, extend)?;
            match role {
                Some(id) => {
                    let role = fw.role(&id).with_context(|| unknown_role(&fw, &id))?;
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

fn validate(file: &PathBuf) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
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
        Err(LoadError::Syntax(message)) => {
            eprintln!("{}: {message}", file.display());
            Ok(ExitCode::FAILURE)
        }
        Err(LoadError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            eprintln!("{} problem(s) found", problems.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn unknown_role(fw: &Framework, id: &str) -> String {
    let ids: Vec<&str> = fw.roles.iter().map(|r| r.id.as_str()).collect();
    format!("unknown role '{id}'; the roles are: {}", ids.join(", "))
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
