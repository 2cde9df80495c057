//! The public career explorer's pages (issue 30): the landing page of a deployment for people
//! not signed in, each role, the ladder as a picture, "which entry role fits me", industries
//! and certifications. Anyone may read them; a signed-in person keeps their navigation.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::ladder_svg;
use super::{message_page, Nav, Page, PageError, PageQuery, WebUser};
use crate::error::ApiError;
use crate::service::explore::{
    self, CertificationView, FitView, IndustryView, LadderView, MarketPay, RoleSummary, RoleView,
};
use crate::state::AppState;

/// Whoever is reading: the signed-in person (with their navigation) or a visitor.
pub struct Visitor(Option<WebUser>);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    /// With the explorer kept private (`explorer_public` off), a visitor goes to sign-in.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Visitor, Response> {
        match WebUser::from_request_parts(parts, state).await {
            Ok(user) => Ok(Visitor(Some(user))),
            Err(_) if state.config.explorer_public => Ok(Visitor(None)),
            Err(to_sign_in) => Err(to_sign_in),
        }
    }
}

impl Visitor {
    fn nav(&self, current: &str) -> Option<Nav> {
        self.0.as_ref().map(|user| Nav::new(user, current))
    }

    /// An error page that leads back somewhere this reader can go: home redirects a visitor
    /// to sign-in, so a visitor goes back to the careers.
    fn error(&self, e: ApiError) -> Response {
        let heading = if e.status == StatusCode::NOT_FOUND { "Not found" } else { "Something went wrong" };
        let link = if self.0.is_some() { ("/home", "Back to home") } else { ("/explore", "Back to careers") };
        e.attach_cause(message_page(e.status, heading, &e.message, Some(link)))
    }
}

/// The ladder's picture and its text equivalent, shared by the landing page.
struct Ladder {
    svg: String,
    /// (role, its time from entry, its moves in words), by level.
    rows: Vec<(RoleSummary, String, Vec<String>)>,
}

fn ladder(view: &LadderView) -> Ladder {
    let svg = ladder_svg::ladder(
        view,
        "The BPO career ladder",
        "Roles in rows by level, entry roles at the bottom, arrows for the usual moves; the list below gives every role and move in words.",
    );
    let name = |id: &str| view.roles.iter().find(|r| r.id == id).map_or(id.to_string(), |r| r.name.clone());
    let rows = view
        .roles
        .iter()
        .map(|r| {
            let moves = view
                .paths
                .iter()
                .filter(|p| p.from == r.id)
                .map(|p| format!("{} after {}", name(&p.to), ladder_svg::span(Some([p.months_min, p.months_max]))))
                .collect();
            (r.clone(), time_from_entry(r), moves)
        })
        .collect();
    Ladder { svg, rows }
}

/// A role's time from an entry role, in words for the ladder's text list.
fn time_from_entry(r: &RoleSummary) -> String {
    match (r.entry, r.months_from_entry) {
        (true, _) => "entry role (no experience needed)".into(),
        (false, Some(m)) => format!("{} from an entry role", ladder_svg::span(Some(m))),
        (false, None) => ladder_svg::span(None),
    }
}

/// Where a role stands: entry, or growth and how far from an entry role.
fn standing(r: &RoleSummary) -> String {
    match (r.entry, r.months_from_entry) {
        (true, _) => "Entry role: no experience needed".into(),
        (false, Some(m)) => {
            format!("Growth role (level {}), usually {} from an entry role", r.level, ladder_svg::span(Some(m)))
        }
        (false, None) => {
            format!("Growth role (level {}); this ladder has no usual path to it from an entry role", r.level)
        }
    }
}

/// What the page says of a role no move on the ladder leads into.
fn no_path_in(r: &RoleSummary) -> &'static str {
    if r.entry {
        "Hired from outside: no experience needed."
    } else {
        "No move into this role is listed on this ladder."
    }
}

#[derive(Template)]
#[template(path = "explore.html")]
struct IndexPage {
    nav: Option<Nav>,
    ladder: Ladder,
    entry: Vec<RoleSummary>,
    growth: Vec<RoleSummary>,
}

/// `/`: the explorer for a visitor; a signed-in person goes to their home.
pub async fn landing(State(state): State<AppState>, visitor: Visitor) -> Response {
    if visitor.0.is_some() {
        return Redirect::to("/home").into_response();
    }
    index_page(&state, visitor).into_response()
}

pub async fn index(State(state): State<AppState>, visitor: Visitor) -> Response {
    index_page(&state, visitor).into_response()
}

fn index_page(state: &AppState, visitor: Visitor) -> Page<IndexPage> {
    let view = explore::ladder(&state.framework);
    let (entry, growth) = view.roles.iter().cloned().partition(|r| r.entry);
    Page(IndexPage { nav: visitor.nav("/explore"), ladder: ladder(&view), entry, growth })
}

#[derive(Template)]
#[template(path = "explore_role.html")]
struct RolePage {
    nav: Option<Nav>,
    view: RoleView,
    standing: String,
    no_path_in: &'static str,
    /// (sector name, occupations) in the sectors' order.
    sectors: Vec<(String, Vec<explore::OutsideView>)>,
    pay: Option<(String, String)>,
}

/// What imported postings say a role pays (the market view's figures for the role); `None`,
/// and the section left out, under 5 postings with pay.
async fn market_pay(state: &AppState, role: &str) -> Result<Option<MarketPay>, ApiError> {
    crate::service::postings::market::role_pay(state, role).await
}

pub async fn role(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> Response {
    let pay = match market_pay(&state, &id).await {
        Ok(pay) => pay,
        Err(e) => return visitor.error(e),
    };
    let view = match explore::role(&state.framework, &id, pay) {
        Ok(view) => view,
        Err(e) => return visitor.error(e),
    };
    let mut sectors: Vec<(String, Vec<explore::OutsideView>)> = Vec::new();
    for o in &view.outside {
        match sectors.last_mut() {
            Some((name, list)) if *name == o.sector_name => list.push(o.clone()),
            _ => sectors.push((o.sector_name.clone(), vec![o.clone()])),
        }
    }
    let pay = view.market_pay.as_ref().map(|p| {
        // Postings store pay in their own minor units (core::postings::pay), not the openings'.
        let money = |minor: i64| {
            let unit = 10u64.pow(ladder_core::postings::pay::minor_digits(Some(&p.currency)));
            format!("{} {}", p.currency, super::format::thousands(minor.max(0) as u64 / unit))
        };
        (
            format!(
                "{} to {} a month, median {}",
                money(p.monthly_low),
                money(p.monthly_high),
                money(p.monthly_median)
            ),
            format!(
                "from {} postings{}",
                p.postings,
                p.remote_percent.map_or(String::new(), |r| format!("; {r:.0} % remote"))
            ),
        )
    });
    let (standing, no_path_in) = (standing(&view.role), no_path_in(&view.role));
    Page(RolePage { nav: visitor.nav("/explore"), view, standing, no_path_in, sectors, pay }).into_response()
}

#[derive(Template)]
#[template(path = "explore_industries.html")]
struct IndustriesPage {
    nav: Option<Nav>,
    industries: Vec<IndustryView>,
    growth: Vec<RoleSummary>,
}

pub async fn industries(State(state): State<AppState>, visitor: Visitor) -> Response {
    let growth = explore::roles(&state.framework).into_iter().filter(|r| !r.entry).collect();
    Page(IndustriesPage { nav: visitor.nav("/explore"), industries: explore::industries(&state.framework), growth })
        .into_response()
}

#[derive(Template)]
#[template(path = "explore_certifications.html")]
struct CertificationsPage {
    nav: Option<Nav>,
    certifications: Vec<CertificationView>,
}

pub async fn certifications(State(state): State<AppState>, visitor: Visitor) -> Response {
    Page(CertificationsPage { nav: visitor.nav("/explore"), certifications: explore::certifications(&state.framework) })
        .into_response()
}

#[derive(Template)]
#[template(path = "explore_certification.html")]
struct CertificationPage {
    nav: Option<Nav>,
    c: CertificationView,
}

pub async fn certification(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> Response {
    match explore::certification(&state.framework, &id) {
        Ok(c) => Page(CertificationPage { nav: visitor.nav("/explore"), c }).into_response(),
        Err(e) => visitor.error(e),
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct SkillQuestion {
    pub id: String,
    pub name: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "explore_fit.html")]
struct FitPage {
    nav: Option<Nav>,
    skills: Vec<SkillQuestion>,
    work: Vec<Choice>,
    nights: Vec<Choice>,
    degree: Vec<Choice>,
    error: Option<String>,
    result: Option<FitView>,
}

fn choices(options: &[(&str, &str)], given: Option<&String>) -> Vec<Choice> {
    options
        .iter()
        .map(|(value, label)| Choice {
            value: value.to_string(),
            label: label.to_string(),
            selected: given.is_some_and(|g| g == value),
        })
        .collect()
}

/// The self-assessment, read from the address (a GET form: nothing is stored); with answers,
/// the suggestions below it. An answer it cannot take shows the form again with why (422).
pub async fn fit(
    State(state): State<AppState>,
    visitor: Visitor,
    answers: Result<PageQuery<BTreeMap<String, String>>, PageError>,
) -> Response {
    let answers = match answers {
        Ok(PageQuery(answers)) => answers,
        Err(PageError::BadQuery(e) | PageError::Api(e)) => return visitor.error(e),
        Err(e) => return e.into_response(),
    };
    let fw = &state.framework;
    let outcome = if answers.is_empty() {
        Ok(None)
    } else {
        explore::fit_input(fw, &answers).and_then(|input| explore::fit(fw, &input)).map(Some)
    };
    let skills = ladder_core::explore::fit::asked_skills(fw)
        .into_iter()
        .filter_map(|id| fw.skill(id))
        .map(|s| {
            let mut options = vec![Choice {
                value: String::new(),
                label: "Not sure (counts as 1)".into(),
                selected: answers.get(&s.id).is_none_or(|v| v.is_empty()),
            }];
            for (i, text) in s.levels.iter().enumerate() {
                let value = (i + 1).to_string();
                let selected = answers.get(&s.id) == Some(&value);
                options.push(Choice { label: format!("{value} — {text}"), value, selected });
            }
            SkillQuestion { id: s.id.clone(), name: s.name.clone(), choices: options }
        })
        .collect();
    let (error, result, status) = match outcome {
        Ok(result) => (None, result, StatusCode::OK),
        Err(e) => (Some(e.field.as_ref().map_or(e.message.clone(), |f| format!("{f}: {}", e.message))), None, e.status),
    };
    let page = FitPage {
        nav: visitor.nav("/explore"),
        skills,
        work: choices(
            &[("either", "Either"), ("voice", "Voice: calls"), ("non-voice", "Non-voice: chat, email, back office")],
            answers.get("work"),
        ),
        nights: choices(&[("yes", "Yes"), ("no", "No")], answers.get("nights")),
        degree: choices(&[("no", "No"), ("yes", "Yes")], answers.get("degree")),
        error,
        result,
    };
    (status, Page(page)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(entry: bool, months_from_entry: Option<[u32; 2]>) -> RoleSummary {
        RoleSummary {
            id: "r".into(),
            name: "R".into(),
            family: "voice".into(),
            work: "voice".into(),
            entry,
            level: if entry { 1 } else { 3 },
            summary: String::new(),
            months_from_entry,
        }
    }

    #[test]
    fn a_role_with_no_path_from_an_entry_role_says_so_once() {
        let unreached = role(false, None);
        assert_eq!(time_from_entry(&unreached), "no path from an entry role");
        assert_eq!(
            standing(&unreached),
            "Growth role (level 3); this ladder has no usual path to it from an entry role"
        );
        assert_eq!(no_path_in(&unreached), "No move into this role is listed on this ladder.");

        let tl = role(false, Some([24, 36]));
        assert_eq!(time_from_entry(&tl), "2–3 years from an entry role");
        assert_eq!(standing(&tl), "Growth role (level 3), usually 2–3 years from an entry role");

        let entry = role(true, Some([0, 0]));
        assert_eq!(time_from_entry(&entry), "entry role (no experience needed)");
        assert_eq!(standing(&entry), "Entry role: no experience needed");
        assert_eq!(no_path_in(&entry), "Hired from outside: no experience needed.");
    }
}
