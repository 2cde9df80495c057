//! Where the guidance behind each kind of flag comes from, in a line a person can read
//! (the thresholds and their sources: `WellbeingRules`, `shared/domain/kpis.md` §6).

use super::FlagKind;

impl FlagKind {
    /// The guidance behind this kind of flag, named.
    pub fn source(self) -> &'static str {
        match self {
            FlagKind::WeeklyHours => "UK Working Time Regulations: 48 h a week on average; HSE fatigue guidance",
            FlagKind::ConsecutiveNights => "HSE shift-work guidance: no more than 2–3 night shifts in a row",
            FlagKind::ShortRest => "EU Working Time Directive: 11 h rest between working days",
            FlagKind::NoWeeklyRest => "EU Working Time Directive: 24 h rest in every 7 days",
            FlagKind::LongShift => "HSE shift-work guidance: shifts of at most 12 h",
            FlagKind::LongNightShift => "HSE shift-work guidance: night shifts of at most 8 h",
        }
    }

    /// Every kind, in declaration order (for counts by kind).
    pub const ALL: [FlagKind; 6] = [
        FlagKind::WeeklyHours,
        FlagKind::ConsecutiveNights,
        FlagKind::ShortRest,
        FlagKind::NoWeeklyRest,
        FlagKind::LongShift,
        FlagKind::LongNightShift,
    ];
}
