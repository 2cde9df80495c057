//! The learning catalogue page (issue 26): one's gaps with the items that close them and an
//! Enrol button each, the catalogue by skill and certification, and for HR and administrators the
//! organisation's own entries to add, edit and retire.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::{allowed, Action};
use ladder_core::learning::{Format, Gap};
use serde::Deserialize;

use super::{field_label, form_again, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::learning::{self as service, CatalogueItem, GapItems, ItemInput};
use crate::state::AppState;

/// An item shown with an Enrol button, which carries its own one-time key.
pub struct Offer {
    pub item: CatalogueItem,
    pub form_key: String,
}

/// A gap with its offers.
pub struct GapOffers {
    pub name: String,
    pub gap: String,
    pub offers: Vec<Offer>,
}

/// The gaps' items as offers, for this page, the skills page and the plan.
pub fn offers(gaps: Vec<GapItems>) -> Vec<GapOffers> {
    gaps.into_iter()
        .map(|g| GapOffers {
            name: g.name,
            gap: g.gap,
            offers: g.items.into_iter().map(|item| Offer { item, form_key: super::once::new_key() }).collect(),
        })
        .collect()
}

/// A group of the catalogue: a skill or certification and its items.
pub struct Group {
    pub id: String,
    pub name: String,
    pub items: Vec<CatalogueItem>,
}

/// The values of the entry form (shown again when refused).
#[derive(Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    link: String,
    /// `skill:ID` or `certification:ID`.
    #[serde(default)]
    helps: String,
}

#[derive(Template)]
#[template(path = "learning.html")]
struct LearningPage {
    nav: Option<Nav>,
    csrf: String,
    gaps: Vec<GapOffers>,
    has_record: bool,
    groups: Vec<Group>,
    manage: bool,
    own: Vec<CatalogueItem>,
    helps_options: Vec<(String, String)>,
    formats: Vec<(&'static str, &'static str)>,
    form: ItemForm,
    error: Option<String>,
    back: &'static str,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    page(&state, &user, ItemForm::default(), None).await
}

fn helps_options(state: &AppState) -> Vec<(String, String)> {
    let skills = state.framework.skills.iter().map(|s| (format!("skill:{}", s.id), format!("Skill: {}", s.name)));
    let certs = state
        .framework
        .certifications
        .iter()
        .map(|c| (format!("certification:{}", c.id), format!("Certification: {}", c.name)));
    skills.chain(certs).collect()
}

fn formats() -> Vec<(&'static str, &'static str)> {
    Format::ALL.iter().map(|f| (f.as_str(), f.label())).collect()
}

async fn page(
    state: &AppState,
    user: &WebUser,
    form: ItemForm,
    error: Option<String>,
) -> PageResult<Page<impl Template>> {
    let me = &user.me;
    let manage = allowed(&me.actor, Action::ManageLearning);
    let catalogue = service::catalogue(state, me, manage).await?;
    let (gaps, has_record) = match me.user.employee_id {
        Some(id) => {
            let employee = ladder_store::org::employee(&state.db, id).await?;
            (offers(service::gaps(state, me, &employee).await?), true)
        }
        None => (Vec::new(), false),
    };
    let in_use: Vec<CatalogueItem> = catalogue.iter().filter(|i| !i.retired).cloned().collect();
    let group = |id: &str, name: &str, gap: Gap| Group {
        id: id.to_string(),
        name: name.to_string(),
        items: in_use.iter().filter(|i| gap.matches(&i.skills, &i.certifications)).cloned().collect(),
    };
    let fw = &state.framework;
    let groups = fw
        .skills
        .iter()
        .map(|s| group(&format!("skill-{}", s.id), &s.name, Gap::Skill(s.id.clone())))
        .chain(
            fw.certifications
                .iter()
                .map(|c| group(&format!("cert-{}", c.id), &c.name, Gap::Certification(c.id.clone()))),
        )
        .filter(|g| !g.items.is_empty())
        .collect();
    Ok(Page(LearningPage {
        nav: Some(Nav::new(user, "/learning")),
        csrf: user.csrf.clone(),
        gaps,
        has_record,
        groups,
        manage,
        own: catalogue.into_iter().filter(|i| i.own).collect(),
        helps_options: helps_options(state),
        formats: formats(),
        form,
        error,
        back: "/learning",
    }))
}

/// The form's text as the service's input; a malformed number is the form's error.
fn input(form: &ItemForm) -> Result<ItemInput, ApiError> {
    let number = |field: &str, text: &str| -> Result<Option<f64>, ApiError> {
        let t = text.trim().replace(',', "");
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<f64>().map(Some).map_err(|_| ApiError::invalid(field, "type a number, such as 12 or 12.5"))
    };
    let price = number("price", &form.price)?;
    // The typed price is in major units; the currency says how many minor units make one.
    let currency = form.currency.trim().to_ascii_uppercase();
    let price_minor = match price {
        Some(p) if !(p.is_finite() && (0.0..=10_000_000.0).contains(&p)) => {
            return Err(ApiError::invalid("price", "0 to 10,000,000"))
        }
        Some(_) => Some(
            ladder_core::openings::money::parse_major(&form.price, &currency)
                .ok_or_else(|| ApiError::invalid("price", "0 to 10,000,000"))?,
        ),
        None => None,
    };
    let (skill_id, certification_id) = match form.helps.split_once(':') {
        Some(("skill", id)) => (Some(id.to_string()), None),
        Some(("certification", id)) => (None, Some(id.to_string())),
        _ => (None, None),
    };
    Ok(ItemInput {
        title: form.title.clone(),
        provider: form.provider.clone(),
        format: form.format.clone(),
        hours: number("hours", &form.hours)?,
        price_minor,
        currency: Some(form.currency.clone()),
        link: form.link.clone(),
        skill_id,
        certification_id,
    })
}

fn shown(field: Option<&str>, message: String) -> String {
    match field {
        Some("price_minor") => format!("Price: {message}"),
        Some("skill_id" | "certification_id") => format!("Helps with: {message}"),
        Some(f) => format!("{}: {message}", field_label(f)),
        None => message,
    }
}

pub async fn add(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<ItemForm>,
) -> PageResult<Response> {
    let result = match input(&f) {
        Ok(i) => service::add_item(&state, &user.me, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/learning#own-h").into_response()),
        Err(e) => {
            let field = e.field.clone();
            form_again(e, |m| page(&state, &user, f, Some(shown(field.as_deref(), m)))).await
        }
    }
}

#[derive(Template)]
#[template(path = "learning_item.html")]
struct ItemPage {
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    helps_options: Vec<(String, String)>,
    formats: Vec<(&'static str, &'static str)>,
    form: ItemForm,
    retired: bool,
    error: Option<String>,
}

async fn item_page(
    state: &AppState,
    user: &WebUser,
    id: i64,
    form: Option<ItemForm>,
    error: Option<String>,
) -> PageResult<Page<impl Template>> {
    let stored = service::own_item(state, &user.me, id).await?;
    let item = &stored.item;
    let form = form.unwrap_or_else(|| ItemForm {
        title: item.title.clone(),
        provider: item.provider.clone(),
        format: item.format.clone(),
        hours: item.hours.map(|h| h.to_string()).unwrap_or_default(),
        price: item
            .price_minor
            .map(|p| ladder_core::learning::major_units(p, item.currency.as_deref().unwrap_or("")))
            .unwrap_or_default(),
        currency: item.currency.clone().unwrap_or_default(),
        link: item.link.clone(),
        helps: match (&item.skill_id, &item.certification_id) {
            (Some(s), _) => format!("skill:{s}"),
            (None, Some(c)) => format!("certification:{c}"),
            (None, None) => String::new(),
        },
    });
    Ok(Page(ItemPage {
        nav: Some(Nav::new(user, "/learning")),
        csrf: user.csrf.clone(),
        id,
        helps_options: helps_options(state),
        formats: formats(),
        form,
        retired: stored.retired_at.is_some(),
        error,
    }))
}

pub async fn edit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Page<impl Template>> {
    item_page(&state, &user, id, None, None).await
}

pub async fn update(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ItemForm>,
) -> PageResult<Response> {
    let result = match input(&f) {
        Ok(i) => service::update_item(&state, &user.me, id, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/learning#own-h").into_response()),
        Err(e) => {
            let field = e.field.clone();
            form_again(e, |m| item_page(&state, &user, id, Some(f), Some(shown(field.as_deref(), m)))).await
        }
    }
}

#[derive(Deserialize)]
pub struct RetireForm {
    retired: bool,
}

pub async fn retire(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RetireForm>,
) -> PageResult<Response> {
    service::set_retired(&state, &user.me, id, f.retired).await?;
    Ok(Redirect::to("/learning#own-h").into_response())
}

#[derive(Deserialize)]
pub struct EnrolForm {
    item: String,
    #[serde(default)]
    back: String,
    #[serde(default, rename = "_key")]
    key: String,
}

/// Enrols the signed-in person in an item (a planned training record), then goes back to the
/// page the button was on. The form's one-time key makes a double tap one record.
pub async fn enrol(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<EnrolForm>,
) -> PageResult<Response> {
    let employee = super::own_employee(&state, &user).await?;
    let back = match f.back.as_str() {
        "/growth" | "/plan" => f.back.as_str(),
        _ => "/learning",
    };
    let once = match super::once::claim(&state, &user, &[(super::once::FIELD.into(), f.key)], back).await? {
        Ok(once) => once,
        Err(repeated) => return Ok(repeated),
    };
    match service::enrol(&state, &user.me, &employee, &f.item).await {
        Ok(_) => {
            let done = "/growth#train-h";
            once.finish(&state, &user, done).await?;
            Ok(Redirect::to(done).into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            Err(e.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(price: &str, currency: &str) -> ItemForm {
        ItemForm { price: price.into(), currency: currency.into(), ..ItemForm::default() }
    }

    #[test]
    fn typed_prices_use_the_currencys_minor_units() {
        assert_eq!(input(&form("3,000", "JPY")).ok().and_then(|i| i.price_minor), Some(3000));
        assert_eq!(input(&form("1500.50", "php")).ok().and_then(|i| i.price_minor), Some(150_050));
        assert_eq!(input(&form("", "PHP")).ok().and_then(|i| i.price_minor), None);
        assert!(input(&form("-1", "PHP")).is_err());
    }
}
