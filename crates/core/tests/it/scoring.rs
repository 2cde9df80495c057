//! Scoring rules and their properties: monotone attainment, consistent weights and roll-ups,
//! explicit missing-data handling, gates, bands, incentives and mid-period plan changes.

use ladder_core::framework::{Framework, KraTemplate};
use ladder_core::metric::{attainment, Curve, Direction, Limits, Sums};
use ladder_core::scoring::{combine, KraPlan, MetricIndex, ScoreState, Scorecard, Scorer};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A small framework so these tests do not move when the default data is re-tuned.
const FRAMEWORK: &str = include_str!("fixtures/small.toml");

fn framework() -> Framework {
    Framework::load(FRAMEWORK).expect("test framework is valid")
}

fn month_of(index: &MetricIndex, rows: &[(&str, f64, f64)]) -> ladder_core::scoring::Actuals {
    let mut a = index.empty_actuals();
    for (metric, n, d) in rows {
        a.add(index.position(metric).unwrap(), Sums::new(*n, *d));
    }
    a
}

/// The month of the small framework's `agent` role with these figures, scored.
fn agent_card(figures: &[(&str, f64, f64)], variable_pay: Option<Decimal>) -> Scorecard {
    let fw = framework();
    let plan = KraPlan::for_role(&fw, "agent").unwrap();
    let index = MetricIndex::new(&fw);
    Scorer::new(&fw.scoring, &plan, &index).score(&month_of(&index, figures), variable_pay)
}

#[test]
fn all_kras_on_target_score_100_and_meet_expectations() {
    let card = agent_card(
        &[("aht", 48_000.0, 100.0), ("fcr", 70.0, 100.0), ("csat", 40.0, 50.0), ("attendance", 95.0, 100.0)],
        Some(Decimal::from(1000)),
    );
    assert!((card.total.unwrap() - 100.0).abs() < 1e-9);
    assert_eq!(card.rating, Some(3));
    assert_eq!(card.rating_label.as_deref(), Some("Meets"));
    assert_eq!(card.bonus, Some(Decimal::from(1000)));
    assert!(!card.reweighted);
    assert!(card.gates.is_empty());
    assert_eq!(card.pulled_down_by, None);
    assert_eq!(card.rules_version.as_ref(), "test-1");
}

#[test]
fn the_kra_that_cost_most_is_named_with_its_gap() {
    // AHT 540 s: halfway between threshold 600 and target 480 → 75 % → loses 30 × 0.25 = 7.5 points.
    let card = agent_card(
        &[("aht", 54_000.0, 100.0), ("fcr", 70.0, 100.0), ("csat", 80.0, 100.0), ("attendance", 95.0, 100.0)],
        None,
    );
    assert!((card.total.unwrap() - 92.5).abs() < 1e-9);
    assert_eq!(card.pulled_down_by.as_deref(), Some("aht"));
    let aht = card.kras.iter().find(|k| &*k.metric == "aht").unwrap();
    assert!((aht.points_lost - 7.5).abs() < 1e-9);
    assert_eq!(aht.gap_to_target, Some(60.0));
    let text = card.explain().join("\n");
    assert!(text.contains("aht pulled the score down most"), "{text}");
    assert!(text.contains("(60 s over target 480 s)"), "{text}");
}

#[test]
fn a_missing_kra_is_reweighted_and_said_so() {
    // No CSAT survey came back this month; the other three are on target.
    let card = agent_card(&[("aht", 48_000.0, 100.0), ("fcr", 70.0, 100.0), ("attendance", 95.0, 100.0)], None);
    assert!((card.total.unwrap() - 100.0).abs() < 1e-9, "missing CSAT must not drag the score down");
    assert!(card.reweighted);
    assert_eq!(card.missing.iter().map(|m| &**m).collect::<Vec<_>>(), vec!["csat"]);
    let aht = card.kras.iter().find(|k| &*k.metric == "aht").unwrap();
    assert!((aht.effective_weight - 30.0 * 100.0 / 75.0).abs() < 1e-9);
    assert!(card.explain().iter().any(|l| l.contains("No data for csat") && l.contains("re-weighted")));
}

#[test]
fn zero_denominator_counts_as_missing_not_zero() {
    let card = agent_card(
        &[("aht", 48_000.0, 100.0), ("fcr", 0.0, 0.0), ("csat", 80.0, 100.0), ("attendance", 95.0, 100.0)],
        None,
    );
    assert_eq!(card.missing.iter().map(|m| &**m).collect::<Vec<_>>(), vec!["fcr"]);
    assert!((card.total.unwrap() - 100.0).abs() < 1e-9);
}

#[test]
fn no_data_at_all_gives_no_score_and_no_rating() {
    let fw = framework();
    let plan = KraPlan::for_role(&fw, "agent").unwrap();
    let index = MetricIndex::new(&fw);
    let card = Scorer::new(&fw.scoring, &plan, &index).score(&index.empty_actuals(), Some(Decimal::from(500)));
    assert_eq!(card.total, None);
    assert_eq!(card.rating, None);
    assert_eq!(card.bonus, None, "no incentive estimate without data");
    assert!(!card.reweighted);
    assert!(card.explain()[0].contains("no score"));
}

#[test]
fn a_fatal_error_caps_the_rating_and_zeroes_the_incentive() {
    // Stretch on everything (rating 5) but one fatal error in the month.
    let card = agent_card(
        &[
            ("aht", 40_000.0, 100.0),
            ("fcr", 85.0, 100.0),
            ("csat", 95.0, 100.0),
            ("attendance", 100.0, 100.0),
            ("fatal-errors", 1.0, 0.0),
        ],
        Some(Decimal::from(1000)),
    );
    assert_eq!(card.rating_before_gates, Some(5));
    assert_eq!(card.rating, Some(2));
    assert_eq!(card.payout_percent, 0.0);
    assert_eq!(card.bonus, Some(Decimal::ZERO));
    assert_eq!(card.gates.len(), 1);
    assert_eq!(card.gates[0].id, "fatal-error");
    assert!(card.explain().iter().any(|l| l.contains("Gate 'fatal-error' fired")
        && l.contains("rating capped at 2")
        && l.contains("no incentive")));
}

#[test]
fn attendance_under_the_floor_halves_the_incentive_but_not_the_rating() {
    let card = agent_card(
        &[("aht", 40_000.0, 100.0), ("fcr", 85.0, 100.0), ("csat", 95.0, 100.0), ("attendance", 89.0, 100.0)],
        Some(Decimal::from_str("1000.00").unwrap()),
    );
    // Attendance below threshold earns 0 on its 15 %: 85 × 1.2 = 102 → rating 3 (Meets).
    assert!((card.total.unwrap() - 102.0).abs() < 1e-9);
    assert_eq!(card.rating, Some(3));
    assert_eq!(card.payout_percent, 50.0);
    assert_eq!(card.bonus, Some(Decimal::from_str("500.00").unwrap()));
}

#[test]
fn rating_bands_follow_their_lower_bounds() {
    let fw = framework();
    let rules = &fw.scoring;
    let rating = |score| rules.band_for(score).map(|b| b.rating);
    assert_eq!(rating(0.0), Some(1));
    assert_eq!(rating(69.99), Some(1));
    assert_eq!(rating(70.0), Some(2));
    assert_eq!(rating(89.99), Some(2));
    assert_eq!(rating(90.0), Some(3));
    assert_eq!(rating(105.0), Some(4));
    assert_eq!(rating(120.0), Some(5));
}

#[test]
fn a_mid_month_move_counts_each_plan_for_its_share() {
    let fw = framework();
    let index = MetricIndex::new(&fw);
    let voice = KraPlan::for_role(&fw, "agent").unwrap();
    let chat = KraPlan::from_template(
        &fw,
        "chat",
        "agent",
        &[KraTemplate { metric: "csat".into(), weight: 100.0, threshold: None, target: None, stretch: None }],
    )
    .unwrap();
    // 10 days on voice on target (100), 20 days on chat with CSAT at threshold (50).
    let on_voice = month_of(
        &index,
        &[("aht", 48_000.0, 100.0), ("fcr", 70.0, 100.0), ("csat", 80.0, 100.0), ("attendance", 95.0, 100.0)],
    );
    let on_chat = month_of(&index, &[("csat", 70.0, 100.0)]);
    let a = Scorer::new(&fw.scoring, &voice, &index).score(&on_voice, None);
    let b = Scorer::new(&fw.scoring, &chat, &index).score(&on_chat, None);
    let card = combine(&fw.scoring, vec![(10.0, a), (20.0, b)], Some(Decimal::from(900))).unwrap();
    assert!((card.total.unwrap() - (100.0 * 10.0 + 50.0 * 20.0) / 30.0).abs() < 1e-9);
    assert_eq!(card.kras.len(), 5);
    let weighted_sum: f64 = card.kras.iter().filter_map(|k| k.weighted).sum();
    assert!((weighted_sum - card.total.unwrap()).abs() < 1e-9);
    assert_eq!(card.rating, Some(1));
    assert!(card.kras.iter().filter(|k| &*k.plan == "chat").all(|k| (k.plan_share - 2.0 / 3.0).abs() < 1e-9));
}

#[test]
fn a_plan_whose_weights_do_not_sum_to_100_is_refused() {
    let fw = framework();
    let err = KraPlan::from_template(
        &fw,
        "p",
        "agent",
        &[KraTemplate { metric: "csat".into(), weight: 90.0, threshold: None, target: None, stretch: None }],
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "KRA weights sum to 90, not 100");
}

fn limits(direction: Direction) -> impl Strategy<Value = Limits> {
    (0.0..1000.0f64, 1.0..500.0f64, 1.0..500.0f64).prop_map(move |(base, a, b)| match direction {
        Direction::Higher | Direction::Band => Limits { threshold: base, target: base + a, stretch: base + a + b },
        Direction::Lower => Limits { threshold: base + a + b, target: base + b, stretch: base },
    })
}

const CURVE: Curve = Curve { threshold_credit: 50.0, stretch_credit: 120.0 };

proptest! {
    #[test]
    fn attainment_rises_with_the_value_when_higher_is_better(l in limits(Direction::Higher), x in -100.0..2500.0f64, dx in 0.0..500.0f64) {
        let (a, _) = attainment(Direction::Higher, l, CURVE, x);
        let (b, _) = attainment(Direction::Higher, l, CURVE, x + dx);
        prop_assert!(a <= b + 1e-9, "{a} > {b}");
        prop_assert!((0.0..=120.0).contains(&a));
    }

    #[test]
    fn attainment_falls_with_the_value_when_lower_is_better(l in limits(Direction::Lower), x in -100.0..2500.0f64, dx in 0.0..500.0f64) {
        let (a, _) = attainment(Direction::Lower, l, CURVE, x);
        let (b, _) = attainment(Direction::Lower, l, CURVE, x + dx);
        prop_assert!(a + 1e-9 >= b, "{a} < {b}");
        prop_assert!((0.0..=120.0).contains(&b));
    }

    #[test]
    fn band_attainment_peaks_inside_the_band(l in limits(Direction::Band), x in -100.0..2500.0f64, dx in 0.0..500.0f64) {
        let (a, _) = attainment(Direction::Band, l, CURVE, x);
        let (b, _) = attainment(Direction::Band, l, CURVE, x + dx);
        if x + dx <= l.target { prop_assert!(a <= b + 1e-9); }
        if x >= l.stretch { prop_assert!(a + 1e-9 >= b); }
        prop_assert!(a <= 100.0);
    }

    /// Scoring a year equals scoring the sums of its months, and the KRA value of the year is
    /// Σnumerator ÷ Σdenominator over every day — never a mean of monthly values.
    #[test]
    fn a_year_scores_as_the_sum_of_its_months(
        days in prop::collection::vec((1u32..=12, 0.0..200.0f64, 1.0..200.0f64, 0.0..1.0f64, 0.0..1.0f64), 1..120)
    ) {
        let fw = framework();
        let plan = KraPlan::for_role(&fw, "agent").unwrap();
        let index = MetricIndex::new(&fw);
        let scorer = Scorer::new(&fw.scoring, &plan, &index);
        let (aht, fcr) = (index.position("aht").unwrap(), index.position("fcr").unwrap());
        let mut months = vec![index.empty_actuals(); 12];
        let mut year_direct = index.empty_actuals();
        let (mut handle, mut contacts, mut resolved) = (0.0, 0.0, 0.0);
        for (month, calls, secs_per_call, fcr_share, _) in &days {
            let calls = calls.floor() + 1.0;
            let row_aht = Sums::new(calls * secs_per_call * 4.0, calls);
            let row_fcr = Sums::new((calls * fcr_share).floor(), calls);
            months[*month as usize - 1].add(aht, row_aht);
            months[*month as usize - 1].add(fcr, row_fcr);
            year_direct.add(aht, row_aht);
            year_direct.add(fcr, row_fcr);
            handle += row_aht.numerator; contacts += calls; resolved += row_fcr.numerator;
        }
        let mut year_from_months = index.empty_actuals();
        for m in &months { year_from_months.merge(m); }
        let from_months = scorer.score(&year_from_months, None);
        let direct = scorer.score(&year_direct, None);
        prop_assert!((from_months.total.unwrap() - direct.total.unwrap()).abs() < 1e-6);
        let aht_line = from_months.kras.iter().find(|k| &*k.metric == "aht").unwrap();
        prop_assert!((aht_line.value.unwrap() - handle / contacts).abs() < 1e-6);
        let fcr_line = from_months.kras.iter().find(|k| &*k.metric == "fcr").unwrap();
        prop_assert!((fcr_line.value.unwrap() - resolved / contacts * 100.0).abs() < 1e-6);
    }

    /// The weighted lines add up to the total, effective weights to 100, and when every KRA with
    /// data sits at the same attainment the total is that attainment, whichever KRAs are missing
    /// (as long as those with data carry the minimum share of the weight).
    #[test]
    fn weights_and_reweighting_are_consistent(present in prop::collection::vec(any::<bool>(), 4), fcr_share in 0.55..0.85f64) {
        let fw = framework();
        let plan = KraPlan::for_role(&fw, "agent").unwrap();
        let index = MetricIndex::new(&fw);
        let mut actuals = index.empty_actuals();
        // Place every KRA at the same relative point of its scale as FCR.
        let t = (fcr_share * 100.0 - 60.0) / 10.0; // position in threshold→target→stretch units
        let at = |thr: f64, tgt: f64, st: f64| if t < 1.0 { thr + (tgt - thr) * t } else { tgt + (st - tgt) * (t - 1.0) };
        let rows = [("aht", at(600.0, 480.0, 420.0), 1.0), ("fcr", fcr_share, 1.0), ("csat", at(70.0, 80.0, 90.0) / 100.0, 1.0), ("attendance", at(90.0, 95.0, 99.0) / 100.0, 1.0)];
        for ((metric, n, d), keep) in rows.iter().zip(&present) {
            if *keep { actuals.add(index.position(metric).unwrap(), Sums::new(*n, *d)); }
        }
        let card = Scorer::new(&fw.scoring, &plan, &index).score(&actuals, None);
        // The agent's weights in plan order (AHT, FCR, CSAT, attendance).
        let with_data: f64 = [30.0, 30.0, 25.0, 15.0].iter().zip(&present).filter(|(_, p)| **p).map(|(w, _)| w).sum();
        prop_assert!((card.weight_with_data - with_data).abs() < 1e-9);
        if with_data >= fw.scoring.min_weight_with_data {
            let total = card.total.unwrap();
            let sum: f64 = card.kras.iter().filter_map(|k| k.weighted).sum();
            prop_assert!((sum - total).abs() < 1e-9);
            let weights: f64 = card.kras.iter().map(|k| k.effective_weight).sum();
            prop_assert!((weights - 100.0).abs() < 1e-9);
            let expected = card.kras.iter().find_map(|k| k.attainment).unwrap();
            prop_assert!((total - expected).abs() < 1e-6, "total {total} vs attainment {expected}");
            prop_assert_eq!(card.reweighted, present.iter().any(|p| !*p));
        } else {
            // Under the minimum share of weight: not enough data, however good the figures.
            prop_assert_eq!(card.total, None);
            prop_assert_eq!(card.state, ScoreState::NotEnoughData);
        }
    }
}
