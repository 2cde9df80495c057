//! Internal openings as pages (issue 28): the list (for a person, the openings they are
//! eligible or nearly eligible for, with the gaps), posting one, an opening with one-click
//! apply, an application with its stage moves and the leader's endorsement; and the public
//! page per published opening and the JSON-LD feed, for people not signed in.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::Access;

use super::format::thousands;
use super::{CsrfForm, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::openings::applications::{
    self as apps, ApplicationLine, ApplicationView, ApplyInput, EndorseInput, MoveInput,
};
use crate::service::openings::matching::{self, MatchQuery, MatchView};
use crate::service::openings::{self as service, posting, OpeningInput, OpeningView, OpeningsQuery};
use crate::state::AppState;

type Form = Vec<(String, String)>;

fn field(form: &Form, k: &str) -> String {
    form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
}

/// An amount in minor units, in words: "PHP 25,000" or "PHP 25,000.50" (as many decimals as
/// the currency has: none for JPY, three for KWD).
pub fn money(minor: i64, currency: &str) -> String {
    let digits = ladder_core::openings::money::minor_digits(currency);
    let per = ladder_core::openings::money::minor_per_major(currency).unsigned_abs();
    let (whole, part) = (minor.unsigned_abs() / per, minor.unsigned_abs() % per);
    let sign = if minor < 0 { "−" } else { "" };
    if part == 0 {
        format!("{currency} {sign}{}", thousands(whole))
    } else {
        format!("{currency} {sign}{}.{part:0width$}", thousands(whole), width = digits as usize)
    }
}

/// The pay band a month, in words.
pub fn pay(o: &OpeningView) -> String {
    format!("{} to {} a month", money(o.pay_min, &o.currency), money(o.pay_max, &o.currency))
}

fn message(e: &ApiError) -> String {
    match &e.field {
        Some(f) => format!("{f}: {}", e.message),
        None => e.message.clone(),
    }
}

#[derive(Template)]
#[template(path = "openings.html")]
struct ListPage {
    nav: Option<Nav>,
    matches: Vec<MatchView>,
    has_record: bool,
    openings: Vec<OpeningView>,
    /// "the newest 100 of 1,234" when there are more openings than the table lists.
    openings_cut: Option<String>,
    can_post: bool,
    mine: Vec<ApplicationLine>,
    to_endorse: Vec<ApplicationLine>,
}

impl ListPage {
    fn pay(&self, o: &OpeningView) -> String {
        pay(o)
    }
}

pub async fn list(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    let me = &user.me;
    let has_record = me.actor.employee_id.is_some();
    let matches = if has_record {
        matching::for_me(&state, me, &MatchQuery { all: None, limit: None, cursor: None }).await?
    } else {
        vec![]
    };
    let can_post = matches!(me.actor.access, Access::Manager | Access::Hr | Access::Admin);
    let (openings, openings_cut) = if can_post {
        let listing =
            service::list(&state, me, &OpeningsQuery { all: Some(true), limit: Some(100), cursor: None }).await?;
        let cut = super::pager::cut_note(&listing, "the newest");
        (listing.items, cut)
    } else {
        (vec![], None)
    };
    Ok(Page(ListPage {
        nav: Some(Nav::new(&user, "/openings")),
        matches,
        has_record,
        openings,
        openings_cut,
        can_post,
        mine: apps::mine(&state, me).await?,
        to_endorse: apps::to_endorse(&state, me).await?,
    }))
}

#[derive(Template)]
#[template(path = "opening_new.html")]
struct NewPage {
    nav: Option<Nav>,
    csrf: String,
    heading: &'static str,
    action: String,
    button: &'static str,
    roles: Vec<(String, String)>,
    sites: Vec<(i64, String)>,
    accounts: Vec<(i64, String)>,
    /// What the fields show: the defaults, the opening being edited, or what was sent.
    values: Form,
    error: Option<String>,
}

impl NewPage {
    fn v(&self, k: &str) -> String {
        field(&self.values, k)
    }
    fn is(&self, k: &str, want: impl AsRef<str>) -> bool {
        field(&self.values, k) == want.as_ref()
    }
    fn on(&self, k: &str) -> bool {
        !field(&self.values, k).is_empty()
    }
}

/// The form for a new opening, or (`editing`) for opening `id`.
struct FormSpec {
    editing: Option<i64>,
    values: Form,
    error: Option<String>,
}

pub async fn new_form(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    let defaults = [("headcount", "1"), ("hours_per_week", "40"), ("currency", "PHP"), ("shift", "day")]
        .into_iter()
        .chain([("arrangement", "on-site"), ("night_differential_percent", "0"), ("rule_min_company_months", "0")])
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    form_page(&state, &user, FormSpec { editing: None, values: defaults, error: None }).await
}

async fn form_page(state: &AppState, user: &WebUser, spec: FormSpec) -> PageResult<Page<NewPage>> {
    if !matches!(user.me.actor.access, Access::Manager | Access::Hr | Access::Admin) {
        return Err(ApiError::forbidden().into());
    }
    let roles = state.framework.roles.iter().map(|r| (r.id.clone(), r.name.clone())).collect();
    let sites = ladder_store::org::sites(&state.db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let accounts = ladder_store::org::accounts(&state.db).await?.into_iter().map(|a| (a.id, a.name)).collect();
    let (heading, action, button) = match spec.editing {
        Some(id) => ("Edit the opening", format!("/openings/{id}/edit"), "Save changes"),
        None => ("Post an opening", "/openings/new".to_string(), "Post"),
    };
    Ok(Page(NewPage {
        nav: Some(Nav::new(user, "/openings")),
        csrf: user.csrf.clone(),
        heading,
        action,
        button,
        roles,
        sites,
        accounts,
        values: spec.values,
        error: spec.error,
    }))
}

/// An amount in minor units as the form takes it: major units, the currency's decimals only
/// when there is a part ("25000", "25000.50"), no thousands separators.
fn major(minor: i64, currency: &str) -> String {
    let digits = ladder_core::openings::money::minor_digits(currency) as usize;
    let per = ladder_core::openings::money::minor_per_major(currency);
    let (whole, part) = (minor / per, (minor % per).abs());
    if part == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{part:0digits$}")
    }
}

/// The edit form's fields from the opening as it stands.
fn values_of(o: &OpeningView) -> Form {
    let flag = |b: bool| if b { "1".to_string() } else { String::new() };
    [
        ("role_id", o.role_id.clone()),
        ("title", o.title.clone()),
        ("site_id", o.site_id.to_string()),
        ("account_id", o.account_id.map(|a| a.to_string()).unwrap_or_default()),
        ("headcount", o.headcount.to_string()),
        ("shift", o.shift.clone()),
        ("shift_hours", o.shift_hours.clone()),
        ("hours_per_week", o.hours_per_week.to_string()),
        ("arrangement", o.arrangement.clone()),
        ("currency", o.currency.clone()),
        ("pay_min", major(o.pay_min, &o.currency)),
        ("pay_max", major(o.pay_max, &o.currency)),
        ("allowances", major(o.allowances, &o.currency)),
        ("allowances_note", o.allowances_note.clone()),
        ("night_differential_percent", o.night_differential_percent.to_string()),
        ("signing_bonus", major(o.signing_bonus, &o.currency)),
        ("description", o.description.clone()),
        ("closing_date", o.closing_date.to_string()),
        ("rule_no_final_warning", flag(o.rule_no_final_warning)),
        ("rule_min_company_months", o.rule_min_company_months.to_string()),
        ("rule_same_site", flag(o.rule_same_site)),
        ("published", flag(o.published)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The edit form, filled with the opening: for whoever may manage it.
pub async fn edit_form(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> PageResult<Response> {
    let o = service::opening(&state, &user.me, id).await?;
    if !o.can_manage {
        return Err(ApiError::forbidden().into());
    }
    let spec = FormSpec { editing: Some(id), values: values_of(&o), error: None };
    Ok(form_page(&state, &user, spec).await?.into_response())
}

/// Saves the edit with the same checks as posting one; its team and hiring manager stay.
pub async fn update(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let before = service::opening(&state, &user.me, id).await?;
    let mut input = input_of(&form);
    input.team_id = before.team_id;
    input.hiring_manager_id = before.hiring_manager_id;
    match service::update(&state, &user.me, id, input).await {
        Ok(o) => Ok(Redirect::to(&format!("/openings/{}", o.id)).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let spec = FormSpec { editing: Some(id), values: form, error: Some(message(&e)) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, &user, spec).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The form's fields as the API's input: amounts typed in whole units of the currency.
fn input_of(form: &Form) -> OpeningInput {
    let int = |k: &str| field(form, k).parse::<i32>().unwrap_or(-1);
    let id = |k: &str| field(form, k).parse::<i64>().ok();
    let currency = field(form, "currency").to_ascii_uppercase();
    // Typed in major units of the form's currency; anything else (text, "nan") becomes -1,
    // which the service refuses naming the field.
    let amount = |k: &str| {
        let v = field(form, k);
        if v.is_empty() {
            0
        } else {
            ladder_core::openings::money::parse_major(&v, &currency).unwrap_or(-1)
        }
    };
    OpeningInput {
        role_id: field(form, "role_id"),
        title: field(form, "title"),
        site_id: id("site_id").unwrap_or(0),
        account_id: id("account_id"),
        team_id: None,
        headcount: int("headcount"),
        shift: field(form, "shift"),
        shift_hours: field(form, "shift_hours"),
        hours_per_week: int("hours_per_week"),
        arrangement: field(form, "arrangement"),
        pay_min: amount("pay_min"),
        pay_max: amount("pay_max"),
        currency: field(form, "currency"),
        allowances: amount("allowances"),
        allowances_note: field(form, "allowances_note"),
        night_differential_percent: field(form, "night_differential_percent").parse().unwrap_or(0),
        signing_bonus: amount("signing_bonus"),
        description: field(form, "description"),
        closing_date: field(form, "closing_date").parse().unwrap_or_default(),
        rule_no_final_warning: !field(form, "rule_no_final_warning").is_empty(),
        rule_min_company_months: field(form, "rule_min_company_months").parse().unwrap_or(0),
        rule_same_site: !field(form, "rule_same_site").is_empty(),
        published: !field(form, "published").is_empty(),
        hiring_manager_id: None,
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    match service::create(&state, &user.me, input_of(&form)).await {
        Ok(o) => Ok(Redirect::to(&format!("/openings/{}", o.id)).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let spec = FormSpec { editing: None, values: form, error: Some(message(&e)) };
            let shown = form_page(&state, &user, spec).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "opening.html")]
struct OpeningPage {
    nav: Option<Nav>,
    csrf: String,
    o: OpeningView,
    pay: String,
    allowances: String,
    bonus: String,
    standing: Option<MatchView>,
    applications: Vec<ApplicationLine>,
    error: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> PageResult<Response> {
    Ok(opening_page(&state, &user, id, None).await?.into_response())
}

async fn opening_page(
    state: &AppState,
    user: &WebUser,
    id: i64,
    error: Option<String>,
) -> PageResult<Page<OpeningPage>> {
    let o = service::opening(state, &user.me, id).await?;
    let standing = if user.me.actor.employee_id.is_some() {
        matching::for_me(state, &user.me, &MatchQuery { all: Some(true), limit: None, cursor: None })
            .await?
            .into_iter()
            .find(|m| m.opening.id == id)
    } else {
        None
    };
    Ok(Page(OpeningPage {
        nav: Some(Nav::new(user, "/openings")),
        csrf: user.csrf.clone(),
        pay: pay(&o),
        allowances: money(o.allowances, &o.currency),
        bonus: money(o.signing_bonus, &o.currency),
        applications: apps::of_opening(state, &user.me, id).await?,
        standing,
        o,
        error,
    }))
}

pub async fn apply(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let input = ApplyInput { declared_no_final_warning: !field(&form, "declared_no_final_warning").is_empty() };
    match apps::apply(&state, &user.me, id, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/applications/{}", a.id)).into_response()),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let status = e.status;
            Ok((status, opening_page(&state, &user, id, Some(message(&e))).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn close(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Form>,
) -> PageResult<Response> {
    service::set_open(&state, &user.me, id, false).await?;
    Ok(Redirect::to(&format!("/openings/{id}")).into_response())
}

pub async fn reopen(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Form>,
) -> PageResult<Response> {
    service::set_open(&state, &user.me, id, true).await?;
    Ok(Redirect::to(&format!("/openings/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    nav: Option<Nav>,
    csrf: String,
    a: ApplicationView,
    gaps: Vec<String>,
    standing: String,
    error: Option<String>,
}

impl ApplicationPage {
    fn stage_label(&self, s: &str) -> &'static str {
        ladder_core::openings::Stage::parse(s).map_or("", |s| s.label())
    }
}

pub async fn application(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> PageResult<Response> {
    Ok(application_page(&state, &user, id, None).await?.into_response())
}

async fn application_page(
    state: &AppState,
    user: &WebUser,
    id: i64,
    error: Option<String>,
) -> PageResult<Page<ApplicationPage>> {
    let a = apps::application(state, &user.me, id).await?;
    let gaps = serde_json::from_value(a.packet["gaps"].clone()).unwrap_or_default();
    let standing = match a.packet["standing"].as_str() {
        Some("eligible") => "Eligible",
        Some("nearly-eligible") => "Nearly eligible",
        _ => "—",
    }
    .to_string();
    Ok(Page(ApplicationPage {
        nav: Some(Nav::new(user, "/openings")),
        csrf: user.csrf.clone(),
        a,
        gaps,
        standing,
        error,
    }))
}

pub async fn move_stage(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let input = MoveInput {
        stage: field(&form, "stage"),
        note: field(&form, "note"),
        start_date: field(&form, "start_date").parse().ok(),
        team_id: None,
    };
    let done = apps::move_stage(&state, &user.me, id, &input).await;
    after_write(&state, &user, id, done.map(drop)).await
}

pub async fn endorse(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let done = apps::endorse(&state, &user.me, id, &EndorseInput { text: field(&form, "text") }).await;
    after_write(&state, &user, id, done.map(drop)).await
}

async fn after_write(state: &AppState, user: &WebUser, id: i64, done: Result<(), ApiError>) -> PageResult<Response> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/applications/{id}")).into_response()),
        Err(e)
            if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN && e.status != StatusCode::NOT_FOUND =>
        {
            let status = e.status;
            Ok((status, application_page(state, user, id, Some(message(&e))).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "job_public.html")]
struct PublicPage {
    nav: Option<Nav>,
    o: OpeningView,
    pay: String,
    bonus: String,
    organisation: String,
    /// The JobPosting, with `<`, `>` and `&` escaped (see [`script_json`]).
    json_ld: String,
}

/// The public page of a published opening (no sign-in): 404 unless published and open.
pub async fn public(State(state): State<AppState>, Path(id): Path<i64>) -> PageResult<Page<impl Template>> {
    let o = posting::published(&state, id).await?;
    let ld = posting::job_posting(&state, id).await?;
    let organisation = ld["hiringOrganization"]["name"].as_str().unwrap_or_default().to_string();
    Ok(Page(PublicPage {
        nav: None,
        pay: pay(&o),
        bonus: money(o.signing_bonus, &o.currency),
        organisation,
        json_ld: script_json(&ld),
        o,
    }))
}

/// JSON safe inside a `<script>` element: every `<`, `>` and `&` as a JSON escape, so no text
/// can close the element or open a comment (`<!--`) that changes how it is parsed. Outside
/// strings JSON has none of the three, so the value reads back the same.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Every published opening still open, as a JSON-LD array (no sign-in).
pub async fn feed(State(state): State<AppState>) -> Response {
    match posting::feed(&state).await {
        Ok(v) => ([(header::CONTENT_TYPE, "application/ld+json")], v.to_string()).into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_shows_the_currencys_own_decimals() {
        assert_eq!(money(2_500_050, "PHP"), "PHP 25,000.50");
        assert_eq!(money(2_500_000, "PHP"), "PHP 25,000");
        assert_eq!(money(300_000, "JPY"), "JPY 300,000");
        assert_eq!(money(1_250, "KWD"), "KWD 1.250");
        assert_eq!(money(1_005, "KWD"), "KWD 1.005");
    }

    #[test]
    fn the_form_reads_amounts_in_the_currencys_units_and_refuses_nan() {
        let form = |currency: &str, pay: &str| -> Form {
            vec![("currency".into(), currency.into()), ("pay_min".into(), pay.into())]
        };
        assert_eq!(input_of(&form("PHP", "25,000.50")).pay_min, 2_500_050);
        assert_eq!(input_of(&form("jpy", "300000")).pay_min, 300_000);
        assert_eq!(input_of(&form("KWD", "1.25")).pay_min, 1_250);
        assert_eq!(input_of(&form("PHP", "nan")).pay_min, -1);
        assert_eq!(input_of(&form("PHP", "inf")).pay_min, -1);
    }

    #[test]
    fn script_json_escapes_every_character_that_could_end_the_script() {
        let v = serde_json::json!({ "description": "a <!--<script> b </script> & c > d" });
        let s = script_json(&v);
        assert!(!s.contains(['<', '>', '&']), "{s}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v, "reads back the same");
    }
}
