//! `ladder plan`: the path from one role to another as dated milestones.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use ladder_core::framework::Framework;
use ladder_core::planner::{plan, PlanRequest, Route};

#[derive(Args)]
pub struct PlanArgs {
    /// The current role: its id or its name ("Team Leader"), in any case.
    #[arg(long)]
    from: String,
    /// The role to reach, by id or name.
    #[arg(long)]
    to: String,
    /// Months already spent in the current role.
    #[arg(long, default_value_t = 0)]
    months_in_role: u32,
    /// The date to plan from (YYYY-MM-DD); today when left out.
    #[arg(long)]
    start: Option<NaiveDate>,
    /// How far ahead to plan, in years (5–10 is typical).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=30))]
    horizon_years: u32,
    /// How many alternative routes to show besides the fastest.
    #[arg(long, default_value_t = 3)]
    alternatives: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(fw: &Framework, args: PlanArgs) -> anyhow::Result<ExitCode> {
    let from = fw.find_role(&args.from).map_err(anyhow::Error::msg)?.id.clone();
    let to = fw.find_role(&args.to).map_err(anyhow::Error::msg)?.id.clone();
    let request = PlanRequest {
        from,
        to,
        months_in_role: args.months_in_role,
        start: args.start.unwrap_or_else(|| chrono::Local::now().date_naive()),
        horizon_months: args.horizon_years * 12,
        alternatives: args.alternatives,
    };
    let career = plan(fw, &request)?;
    if args.json {
        crate::print_json(&career)?;
        return Ok(ExitCode::SUCCESS);
    }
    let name = |id: &str| fw.role(id).map_or(id.to_string(), |r| r.name.clone());
    println!(
        "From {} ({} months in role) to {}, starting {}, horizon {} years\n",
        name(&request.from),
        request.months_in_role,
        name(&request.to),
        request.start,
        args.horizon_years
    );
    println!("Fastest route");
    print_route(&career.fastest);
    for (i, route) in career.alternatives.iter().enumerate() {
        println!("\nAlternative {}", i + 1);
        print_route(route);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_route(route: &Route) {
    for m in &route.milestones {
        println!("  {:<34} between {} and {} (expected {})", m.role_name, m.earliest, m.latest, m.expected);
    }
    let years = |months: f64| months / 12.0;
    println!(
        "  {} steps, {}–{} months (about {:.1} years){}",
        route.milestones.len(),
        route.months_min,
        route.months_max,
        years(route.months_expected),
        if route.within_horizon { "" } else { " — expected arrival is beyond the horizon" }
    );
}
