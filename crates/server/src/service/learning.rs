//! The learning catalogue (issue 26): the organisation's own entries (HR and administrators add,
//! edit and retire them) before the starter list that ships with the framework; the few items
//! that close each of a person's gaps; enrolling, which puts an item in their training plan.

use chrono::Utc;
use ladder_core::access::Action;
use ladder_core::learning::{self as rules, Catalogue, CostModel, Format, Gap};
use ladder_core::readiness::{Readiness, RequirementKind};
use ladder_store::learning::{self as store, LearningItem, NewItem};
use ladder_store::org::Employee;
use ladder_store::records::{TrainingItem, TrainingStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits;
use crate::service::records::{self, TrainingInput};
use crate::state::AppState;

/// One item of the catalogue, the organisation's or the starter list's, as the pages and the
/// API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueItem {
    /// `org-ID` for the organisation's entry, `starter-ID` for the starter list's: what
    /// enrolling names.
    pub key: String,
    /// The organisation's own entry.
    pub own: bool,
    /// The entry's id (the organisation's entries only).
    pub id: Option<i64>,
    pub title: String,
    pub provider: String,
    /// `course`, `programme`, `boot-camp`, `book` or `shadowing`.
    pub format: String,
    pub format_label: String,
    pub hours: Option<f64>,
    /// The length in words: "30 hours", "1–4 weeks".
    pub length: String,
    /// The cost in words: "free", "USD 20.00", "subscription".
    pub cost: String,
    pub link: String,
    pub skills: Vec<String>,
    pub certifications: Vec<String>,
    pub retired: bool,
}

impl CatalogueItem {
    fn own(row: &LearningItem) -> CatalogueItem {
        let i = &row.item;
        let format = Format::parse(&i.format);
        let model = if i.price_minor.unwrap_or(0) > 0 { CostModel::OneOff } else { CostModel::Free };
        CatalogueItem {
            key: format!("org-{}", row.id),
            own: true,
            id: Some(row.id),
            title: i.title.clone(),
            provider: i.provider.clone(),
            format: i.format.clone(),
            format_label: format.map_or_else(|| i.format.clone(), |f| f.label().to_string()),
            hours: i.hours,
            length: rules::length_words(i.hours, None),
            cost: rules::cost_words(model, i.price_minor, i.currency.as_deref(), None),
            link: i.link.clone(),
            skills: i.skill_id.iter().cloned().collect(),
            certifications: i.certification_id.iter().cloned().collect(),
            retired: row.retired_at.is_some(),
        }
    }

    fn starter(i: &rules::StarterItem) -> CatalogueItem {
        CatalogueItem {
            key: format!("starter-{}", i.id),
            own: false,
            id: None,
            title: i.title.clone(),
            provider: i.provider.clone(),
            format: i.format.as_str().to_string(),
            format_label: i.format.label().to_string(),
            hours: i.hours,
            length: rules::length_words(i.hours, i.duration.as_deref()),
            cost: rules::cost_words(i.cost, i.price_minor, i.currency.as_deref(), i.price_seen.as_deref()),
            link: i.link.clone(),
            skills: i.skills.clone(),
            certifications: i.certifications.clone(),
            retired: false,
        }
    }

    fn fits(&self, gap: &Gap) -> bool {
        !self.retired && gap.matches(&self.skills, &self.certifications)
    }
}

/// The whole catalogue: the organisation's entries in use (retired ones too for HR and
/// administrators when asked), then the starter items whose skills or certifications the
/// framework in use has.
pub async fn catalogue(state: &AppState, me: &Me, with_retired: bool) -> ApiResult<Vec<CatalogueItem>> {
    let with_retired = with_retired && ladder_core::access::allowed(&me.actor, Action::ManageLearning);
    let own = store::items(&state.db, with_retired).await?;
    let fw = &state.framework;
    let starter = Catalogue::starter().items.iter().filter(|i| {
        i.skills.iter().any(|s| fw.skill(s).is_some()) || i.certifications.iter().any(|c| fw.certification(c).is_some())
    });
    Ok(own.iter().map(CatalogueItem::own).chain(starter.map(CatalogueItem::starter)).collect())
}

/// The best few items for a gap: the organisation's entries first, then the starter list's.
pub fn for_gap(catalogue: &[CatalogueItem], gap: &Gap) -> Vec<CatalogueItem> {
    catalogue.iter().filter(|i| i.fits(gap)).take(rules::PER_GAP).cloned().collect()
}

/// One gap of a person's next role and the items that close it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapItems {
    /// `skill` or `certification`.
    pub kind: String,
    /// The skill's or certification's id.
    pub id: String,
    pub name: String,
    /// Where the person stands: "Coaching level 2, 3 needed".
    pub gap: String,
    pub items: Vec<CatalogueItem>,
}

/// The skill and certification gaps between a person and their target role, each with its items.
pub async fn gaps(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<GapItems>> {
    let plan = crate::service::career::career_plan(state, me, employee).await?;
    match &plan.readiness {
        Some(readiness) => gaps_of(state, me, readiness).await,
        None => Ok(Vec::new()),
    }
}

/// The same from a readiness report already made (the plan and skills pages have one).
pub async fn gaps_of(state: &AppState, me: &Me, readiness: &Readiness) -> ApiResult<Vec<GapItems>> {
    let all = catalogue(state, me, false).await?;
    Ok(readiness
        .items
        .iter()
        .filter(|i| !i.met)
        .filter_map(|i| {
            let (kind, gap) = match i.kind {
                RequirementKind::Skill => ("skill", Gap::Skill(i.id.clone())),
                RequirementKind::Certification | RequirementKind::PreferredCertification => {
                    ("certification", Gap::Certification(i.id.clone()))
                }
                RequirementKind::Tenure | RequirementKind::Rating => return None,
            };
            let items = for_gap(&all, &gap);
            Some(GapItems { kind: kind.into(), id: i.id.clone(), name: i.name.clone(), gap: i.gap.clone(), items })
        })
        .collect())
}

/// An organisation's entry as the API and the form send it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 120)]
    pub provider: String,
    /// `course`, `programme`, `boot-camp`, `book` or `shadowing`.
    #[schema(max_length = 9)]
    pub format: String,
    /// Hours of study, more than 0 and at most 2,000; left out when not known.
    #[serde(default)]
    pub hours: Option<f64>,
    /// The price in the currency's minor units (cents for PHP, yen for JPY); left out or 0 is free.
    #[serde(default)]
    pub price_minor: Option<i64>,
    /// ISO 4217, with a price.
    #[serde(default)]
    #[schema(max_length = 3)]
    pub currency: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub link: String,
    /// The skill it builds, or
    #[serde(default)]
    #[schema(max_length = 80)]
    pub skill_id: Option<String>,
    /// the certification it prepares for (exactly one of the two).
    #[serde(default)]
    #[schema(max_length = 80)]
    pub certification_id: Option<String>,
}

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Checks an entry against the limits and the framework, naming the field at fault.
fn checked(state: &AppState, input: &ItemInput) -> ApiResult<NewItem> {
    for (field, value, max) in [("title", &input.title, limits::TITLE), ("provider", &input.provider, limits::LINE)] {
        if value.trim().is_empty() {
            return Err(ApiError::invalid(field, "cannot be empty"));
        }
        limits::check_line(field, value, max)?;
    }
    let format = Format::parse(input.format.trim()).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        ApiError::invalid("format", format!("one of {}", names.join(", ")))
    })?;
    let currency = blank_to_none(&input.currency).map(|c| c.to_ascii_uppercase());
    let link = input.link.trim().to_string();
    let price = input.price_minor.filter(|p| *p != 0);
    if let Some((field, message)) =
        rules::item_problems(input.hours, price, currency.as_deref(), &link).into_iter().next()
    {
        return Err(ApiError::invalid(field, message));
    }
    let (skill_id, certification_id) = (blank_to_none(&input.skill_id), blank_to_none(&input.certification_id));
    match (&skill_id, &certification_id) {
        (Some(s), None) if state.framework.skill(s).is_none() => {
            return Err(ApiError::invalid(
                "skill_id",
                format!("unknown skill '{}'", s.chars().take(80).collect::<String>()),
            ))
        }
        (None, Some(c)) if state.framework.certification(c).is_none() => {
            return Err(ApiError::invalid(
                "certification_id",
                format!("unknown certification '{}'", c.chars().take(80).collect::<String>()),
            ))
        }
        (Some(_), None) | (None, Some(_)) => {}
        _ => return Err(ApiError::invalid("skill_id", "name one skill or one certification the item helps with")),
    }
    Ok(NewItem {
        title: input.title.trim().to_string(),
        provider: input.provider.trim().to_string(),
        format: format.as_str().to_string(),
        hours: input.hours,
        currency: if price.is_some() { currency } else { None },
        price_minor: price,
        link,
        skill_id,
        certification_id,
    })
}

fn not_found(e: ladder_store::StoreError) -> ApiError {
    match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("learning item"),
        other => other.into(),
    }
}

pub async fn add_item(state: &AppState, me: &Me, input: &ItemInput) -> ApiResult<CatalogueItem> {
    me.require(Action::ManageLearning)?;
    let item = checked(state, input)?;
    Ok(CatalogueItem::own(&store::add(&state.db, &item, Some(me.user.id), Utc::now()).await?))
}

pub async fn update_item(state: &AppState, me: &Me, id: i64, input: &ItemInput) -> ApiResult<CatalogueItem> {
    me.require(Action::ManageLearning)?;
    let item = checked(state, input)?;
    Ok(CatalogueItem::own(&store::update(&state.db, id, &item, Utc::now()).await.map_err(not_found)?))
}

/// Retires an entry (no longer suggested) or brings it back.
pub async fn set_retired(state: &AppState, me: &Me, id: i64, retired: bool) -> ApiResult<CatalogueItem> {
    me.require(Action::ManageLearning)?;
    Ok(CatalogueItem::own(&store::set_retired(&state.db, id, retired, Utc::now()).await.map_err(not_found)?))
}

/// One of the organisation's entries, retired ones too (for the edit form).
pub async fn own_item(state: &AppState, me: &Me, id: i64) -> ApiResult<LearningItem> {
    me.require(Action::ManageLearning)?;
    store::item(&state.db, id).await.map_err(not_found)
}

/// The training kind an item's format is recorded as.
fn training_kind(format: &str) -> &'static str {
    match Format::parse(format) {
        Some(Format::Course | Format::Programme) => "course",
        Some(Format::BootCamp) => "bootcamp",
        Some(Format::Shadowing) => "on-the-job",
        Some(Format::Book) | None => "other",
    }
}

/// Puts a catalogue item in the person's training plan as planned. Enrolling again in an item
/// still planned or in progress gives the same training record, so a repeated request adds
/// nothing.
pub async fn enrol(state: &AppState, me: &Me, employee: &Employee, key: &str) -> ApiResult<TrainingItem> {
    records::may_write_record(me, employee)?;
    limits::check_line("item", key, limits::KEY + 10)?;
    let all = catalogue(state, me, false).await?;
    let item = all.iter().find(|i| i.key == key).ok_or_else(|| ApiError::invalid("item", "no such catalogue item"))?;
    let title: String = item.title.chars().take(limits::TITLE).collect();
    let provider: String = item.provider.chars().take(limits::LINE).collect();
    // may_write_record above covers reading the person's training.
    let existing = ladder_store::records::training(&state.db, employee.id).await?;
    if let Some(t) =
        existing.into_iter().find(|t| t.title == title && t.provider == provider && t.status != TrainingStatus::Done)
    {
        return Ok(t);
    }
    let input = TrainingInput {
        kind: training_kind(&item.format).into(),
        title,
        provider,
        hours: item.hours.unwrap_or(0.0).min(rules::MAX_HOURS),
        status: "planned".into(),
        skill_id: item.skills.iter().find(|s| state.framework.skill(s).is_some()).cloned(),
        due_date: None,
        completed_date: None,
    };
    records::add_training(state, me, employee, &input).await
}
