//! No rating from too little data: the minimum share of weight with data (exactly the minimum
//! rates), the minimum volume per metric (exactly the minimum counts), what a thin scorecard says,
//! several months, plans combined within a month, and the checks on the rules themselves.

use ladder_core::framework::{Framework, KraTemplate};
use ladder_core::metric::Sums;
use ladder_core::scoring::{combine, Actuals, KraPlan, MetricIndex, ScoreState, Scorecard, Scorer, ShortOfData};
use proptest::prelude::*;
use rust_decimal::Decimal;

const SMALL: &str = include_str!("fixtures/small.toml");

/// The small framework (agent: AHT 30, FCR 30, CSAT 25, attendance 15) with minimum volumes.
fn framework() -> Framework {
    let text = SMALL.replace(
        "missing_kra = \"reweight\"",
        "missing_kra = \"reweight\"\nmin_volume = [\n  { metric = \"aht\", min = 30, unit = \"contacts\" },\n  { metric = \"csat\", min = 10, unit = \"surveys\" },\n]",
    );
    Framework::load(&text).expect("valid")
}

fn actuals(index: &MetricIndex, rows: &[(&str, f64, f64)]) -> Actuals {
    let mut a = index.empty_actuals();
    for (metric, n, d) in rows {
        a.add(index.position(metric).unwrap(), Sums::new(*n, *d));
    }
    a
}

fn agent(rows: &[(&str, f64, f64)], pay: Option<Decimal>) -> Scorecard {
    let fw = framework();
    let plan = KraPlan::for_role(&fw, "agent").unwrap();
    let index = MetricIndex::new(&fw);
    Scorer::new(&fw.scoring, &plan, &index).score(&actuals(&index, rows), pay)
}

fn reasons(card: &Scorecard) -> Vec<String> {
    card.short_of_data.iter().map(|r| r.words(str::to_string)).collect()
}

#[test]
fn the_default_minimum_weight_is_60_percent() {
    assert_eq!(framework().scoring.min_weight_with_data, 60.0);
}

#[test]
fn exactly_60_percent_of_the_weight_rates_the_month() {
    // AHT 30 + FCR 30 = 60 of 100: on target, so 100 and "Meets".
    let card = agent(&[("aht", 48_000.0, 100.0), ("fcr", 70.0, 100.0)], Some(Decimal::from(1000)));
    assert_eq!(card.state, ScoreState::Scored);
    assert!((card.weight_with_data - 60.0).abs() < 1e-9);
    assert!((card.total.unwrap() - 100.0).abs() < 1e-9);
    assert_eq!(card.rating, Some(3));
    assert_eq!(card.bonus, Some(Decimal::from(1000)));
    assert!(card.reweighted);
}

#[test]
fn under_60_percent_there_is_no_score_rating_or_incentive() {
    // AHT 30 + CSAT 25 = 55 of 100, both at stretch: re-weighting alone would say 120, "Exceptional".
    let card = agent(&[("aht", 40_000.0, 100.0), ("csat", 90.0, 100.0)], Some(Decimal::from(1000)));
    assert_eq!(card.state, ScoreState::NotEnoughData);
    assert_eq!((card.total, card.rating, card.rating_label.clone()), (None, None, None));
    assert_eq!(card.rating_before_gates, None);
    assert_eq!(card.payout_percent, 0.0);
    assert_eq!(card.bonus, None, "no incentive estimate, not even zero");
    assert!(!card.reweighted);
    assert_eq!(reasons(&card), vec!["KRAs with data carry 55 % of the weight, 60 % needed"]);
    // The KRAs that have data still show where they stand.
    let aht = card.kras.iter().find(|k| &*k.metric == "aht").unwrap();
    assert_eq!(aht.attainment, Some(120.0));
    let text = card.explain().join("\n");
    assert!(
        text.starts_with("Not enough data for a score, a rating or an incentive: KRAs with data carry 55 %"),
        "{text}"
    );
    assert!(!text.contains("Exceptional"), "{text}");
}

#[test]
fn exactly_the_minimum_volume_counts_and_one_less_does_not() {
    let on_target = [("aht", 48_000.0, 100.0), ("fcr", 70.0, 100.0), ("attendance", 95.0, 100.0)];
    let with_csat = |surveys: f64| {
        let mut rows = on_target.to_vec();
        rows.push(("csat", surveys * 0.8, surveys));
        agent(&rows, None)
    };
    let ten = with_csat(10.0);
    let csat = ten.kras.iter().find(|k| &*k.metric == "csat").unwrap();
    assert!(csat.counted);
    assert_eq!((csat.volume, csat.min_volume), (Some(10.0), Some(10.0)));
    assert!(ten.short_of_data.is_empty());
    assert!(!ten.reweighted);

    let nine = with_csat(9.0);
    let csat = nine.kras.iter().find(|k| &*k.metric == "csat").unwrap();
    assert!(!csat.counted);
    assert_eq!(csat.value.map(|v| v.round()), Some(80.0), "the value is still shown");
    assert_eq!((csat.attainment, csat.weighted, csat.effective_weight), (None, None, 0.0));
    // 75 % of the weight still counts: a score, with CSAT's weight spread over the others.
    assert_eq!(nine.state, ScoreState::Scored);
    assert!(nine.reweighted);
    assert_eq!(reasons(&nine), vec!["csat: 9 surveys, 10 needed"]);
    assert!(nine.explain().iter().any(|l| l.contains("Too little volume to count (csat: 9 surveys, 10 needed)")));
    assert!(nine.missing.is_empty(), "a thin KRA has data; it is not missing");
}

#[test]
fn aht_on_three_calls_in_a_month_with_one_kra_of_six_is_not_exceptional() {
    let fw = Framework::default_framework();
    let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
    assert_eq!(plan.kras.len(), 6);
    let index = MetricIndex::new(&fw);
    // Three calls of 200 s: far past AHT's stretch of 480 s.
    let card = Scorer::new(&fw.scoring, &plan, &index).score(&actuals(&index, &[("aht", 600.0, 3.0)]), None);
    assert_eq!(card.state, ScoreState::NotEnoughData);
    assert_eq!(card.rating_label, None);
    assert_eq!(
        reasons(&card),
        vec!["aht: 3 contacts, 30 needed", "KRAs with data carry 0 % of the weight, 60 % needed"]
    );
    // With 30 calls AHT counts, but one KRA of six (15 %) is still not enough.
    let card = Scorer::new(&fw.scoring, &plan, &index).score(&actuals(&index, &[("aht", 6000.0, 30.0)]), None);
    assert_eq!(card.state, ScoreState::NotEnoughData);
    assert_eq!(reasons(&card), vec!["KRAs with data carry 15 % of the weight, 60 % needed"]);
}

#[test]
fn over_several_months_the_minimum_volume_counts_per_month() {
    let fw = framework();
    let plan = KraPlan::for_role(&fw, "agent").unwrap();
    let index = MetricIndex::new(&fw);
    let scorer = Scorer::new(&fw.scoring, &plan, &index);
    let rows =
        |calls: f64| actuals(&index, &[("aht", 480.0 * calls, calls), ("fcr", 70.0, 100.0), ("csat", 24.0, 30.0)]);
    let short = scorer.score_over(&rows(60.0), None, 3);
    let aht = short.kras.iter().find(|k| &*k.metric == "aht").unwrap();
    assert!(!aht.counted);
    assert_eq!(reasons(&short)[0], "aht: 60 contacts over 3 months, 90 needed");
    // FCR and CSAT (55 %) are left: not enough for the quarter either.
    assert_eq!(short.state, ScoreState::NotEnoughData);
    let enough = scorer.score_over(&rows(90.0), None, 3);
    assert_eq!(enough.state, ScoreState::Scored);
    assert!(enough.kras.iter().all(|k| k.counted || k.value.is_none()));
}

/// Two plans for one month on the same figures (AHT only): A carries 50 % with data, B 70 %.
fn split_month(share_a: f64) -> Scorecard {
    let fw = framework();
    let index = MetricIndex::new(&fw);
    let line = |metric: &str, weight: f64| KraTemplate {
        metric: metric.into(),
        weight,
        threshold: None,
        target: None,
        stretch: None,
    };
    let a = KraPlan::from_template(&fw, "a", "agent", &[line("aht", 50.0), line("csat", 50.0)]).unwrap();
    let b = KraPlan::from_template(&fw, "b", "agent", &[line("aht", 70.0), line("fcr", 30.0)]).unwrap();
    let month = actuals(&index, &[("aht", 48_000.0, 100.0)]);
    let card_a = Scorer::new(&fw.scoring, &a, &index).score(&month, None);
    let card_b = Scorer::new(&fw.scoring, &b, &index).score(&month, None);
    assert_eq!(card_a.state, ScoreState::NotEnoughData);
    assert_eq!(card_b.state, ScoreState::Scored);
    combine(&fw.scoring, vec![(share_a, card_a), (1.0 - share_a, card_b)], None).unwrap()
}

#[test]
fn a_month_split_between_plans_is_judged_as_a_whole() {
    // 0.4 × 50 + 0.6 × 70 = 62 % with data: rated, on both parts' points.
    let rated = split_month(0.4);
    assert_eq!(rated.state, ScoreState::Scored);
    assert!((rated.weight_with_data - 62.0).abs() < 1e-9);
    assert!((rated.total.unwrap() - 100.0).abs() < 1e-9);
    assert!(rated.kras.iter().filter(|k| &*k.plan == "a").all(|k| (k.plan_share - 0.4).abs() < 1e-9));
    // 0.6 × 50 + 0.4 × 70 = 58 %: the plan that alone would rate does not carry the month.
    let thin = split_month(0.6);
    assert_eq!(thin.state, ScoreState::NotEnoughData);
    assert_eq!(thin.rating, None);
    assert_eq!(thin.short_of_data, vec![ShortOfData::Weight { percent: 0.6 * 50.0 + 0.4 * 70.0, needed: 60.0 }]);
}

#[test]
fn the_gap_of_a_lower_is_better_kra_reads_in_seconds_over_target() {
    // AHT 502.29 s against a 480 s target: the KRA that cost the most.
    let card = agent(
        &[("aht", 50_229.0, 100.0), ("fcr", 70.0, 100.0), ("csat", 40.0, 50.0), ("attendance", 95.0, 100.0)],
        None,
    );
    let text = card.explain().join("\n");
    assert!(text.contains("(22.29 s over target 480 s)"), "{text}");
    assert!(!text.contains("short of target"), "{text}");
}

#[test]
fn the_rules_on_enough_data_are_checked() {
    let load = |scoring: &str| match Framework::load(&SMALL.replace("missing_kra = \"reweight\"", scoring)) {
        Ok(_) => Vec::new(),
        Err(ladder_core::framework::LoadError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{e}"),
    };
    let found = load(
        "missing_kra = \"reweight\"\nmin_weight_with_data = 120\nmin_volume = [\n\
         { metric = \"aht\", min = -1, unit = \"contacts\" },\n\
         { metric = \"aht\", min = 30, unit = \"\" },\n\
         { metric = \"calls\", min = 30, unit = \"contacts\" },\n\
         { metric = \"fatal-errors\", min = 1, unit = \"errors\" },\n]",
    );
    for (place, words) in [
        ("scoring.min_weight_with_data", "between 0 and 100"),
        ("scoring.min_volume[aht].min", "between 0 and 1000000"),
        ("scoring.min_volume[aht].metric", "declared twice"),
        ("scoring.min_volume[aht].unit", "1 to 40 characters"),
        ("scoring.min_volume[calls].metric", "unknown metric 'calls'"),
        ("scoring.min_volume[fatal-errors].metric", "plain sum"),
    ] {
        assert!(found.iter().any(|p| p.starts_with(place) && p.contains(words)), "{place}: {words} in {found:#?}");
    }
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(load("missing_kra = \"reweight\"\nmin_weight_with_data = 0").is_empty());
    assert!(!load("missing_kra = \"reweight\"\nmin_weight_with_data = nan").is_empty());
}

#[test]
fn the_default_framework_has_the_csat_forms_and_talk_time_apart() {
    let fw = Framework::default_framework();
    let names: Vec<(&str, &str)> = ["csat", "csat-top2", "csat-mean", "talk-time", "aht"]
        .iter()
        .map(|id| (*id, fw.metric(id).unwrap().name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("csat", "Customer satisfaction (top box)"),
            ("csat-top2", "Customer satisfaction (top-2-box)"),
            ("csat-mean", "Customer satisfaction (mean rating, 1–5)"),
            ("talk-time", "Average talk time"),
            ("aht", "Average handle time"),
        ]
    );
    // The mean of a 1–5 rating is Σratings ÷ responses, on its own scale (not ×100).
    let index = MetricIndex::new(&fw);
    let mean = actuals(&index, &[("csat-mean", 4.0 + 5.0 + 3.0 + 5.0, 4.0)]);
    assert_eq!(index.value(&mean, index.position("csat-mean").unwrap()), Some(4.25));
    for id in ["aht", "fcr", "csat", "csat-top2", "csat-mean", "talk-time"] {
        assert!(fw.scoring.min_volume(id).is_some(), "{id} declares a minimum volume");
    }
}

proptest! {
    /// Whatever figures a month has, a scorecard without enough data has no score, rating or
    /// bonus, and one with a rating has enough weight and only counted KRAs scored.
    #[test]
    fn not_enough_data_never_rates(
        aht in proptest::option::of(0.0f64..80.0), fcr in proptest::option::of(0.0f64..80.0),
        csat in proptest::option::of(0.0f64..20.0), attendance in proptest::option::of(any::<bool>()),
    ) {
        let mut rows = Vec::new();
        if let Some(calls) = aht { rows.push(("aht", 500.0 * calls, calls)); }
        if let Some(calls) = fcr { rows.push(("fcr", 0.7 * calls, calls)); }
        if let Some(surveys) = csat { rows.push(("csat", 0.8 * surveys, surveys)); }
        if let Some(full) = attendance { rows.push(("attendance", if full { 100.0 } else { 80.0 }, 100.0)); }
        let card = agent(&rows, Some(Decimal::from(1000)));
        match card.state {
            ScoreState::NotEnoughData => {
                prop_assert!(card.total.is_none() && card.rating.is_none() && card.bonus.is_none());
                prop_assert!(!card.short_of_data.is_empty());
            }
            ScoreState::Scored => {
                prop_assert!(card.weight_with_data >= 60.0 - 1e-9);
                prop_assert!(card.rating.is_some() && card.bonus.is_some());
                prop_assert!(card.kras.iter().all(|k| k.counted == k.weighted.is_some()));
            }
        }
    }
}
