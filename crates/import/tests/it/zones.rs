//! Timestamps with an offset (`…Z`, `…+08:00`) in KPI files: read as the instant they name and
//! turned into the person's site time (or the mapping's zone) before the day is taken; times
//! without an offset are local already. Across midnight and a month end, on both databases.

use crate::common;

use common::*;
use ladder_core::Framework;
use ladder_import::Mapping;

/// Ana works in Manila (UTC+8), Ben in New York (UTC−4 in July).
const PEOPLE: &str = "code,name,site,country,timezone,account,team,role,role_since,hire_date
E1,Ana Agent,Manila,PH,Asia/Manila,Telco,T1,customer-service-executive,2024-01-01,2024-01-01
E2,Ben Agent,New York,US,America/New_York,Bank,T2,customer-service-executive,2024-01-01,2024-01-01
";

const LONG: &str = "employee,date,metric,numerator,denominator
E1,2025-07-24T20:30:00Z,aht,300,1
E1,2025-07-31T16:30:00.000Z,aht,100,1
E2,2025-07-25T02:30:00Z,aht,200,1
E2,2025-07-25,aht,50,1
E2,2025-07-26T23:30:00-04:00,aht,70,1
";

fn days(rows: Vec<(String, chrono::NaiveDate, String, f64, f64, String)>) -> Vec<(String, chrono::NaiveDate, f64)> {
    rows.into_iter().map(|(code, d, _, n, _, _)| (code, d, n)).collect()
}

#[tokio::test]
async fn an_instant_counts_for_the_day_at_the_persons_site() {
    each_backend(async |t| {
        let r = import_people(&t.db, csv("people.csv", PEOPLE)).await;
        assert!(r.committed, "{r}");
        let r = import_kpi(&t.db, "ladder-long", csv("calls.csv", LONG), &options()).await;
        assert!(r.committed, "{:?}: {r}", t.backend);
        assert_eq!(
            days(daily(&t.db).await),
            vec![
                // 20:30 UTC is 04:30 the next morning in Manila.
                ("E1".into(), day(2025, 7, 25), 300.0),
                // 16:30 UTC on 31 July is 00:30 on 1 August in Manila: the next month.
                ("E1".into(), day(2025, 8, 1), 100.0),
                // 02:30 UTC is 22:30 the evening before in New York.
                ("E2".into(), day(2025, 7, 24), 200.0),
                // No offset: the site's own clock, as it was.
                ("E2".into(), day(2025, 7, 25), 50.0),
                // An offset that is the site's own changes nothing.
                ("E2".into(), day(2025, 7, 26), 70.0),
            ],
            "{:?}",
            t.backend
        );
    })
    .await;
}

#[tokio::test]
async fn a_mappings_time_zone_is_used_for_instants_and_a_wrong_one_is_refused() {
    let text = ladder_import::mapping::PRESETS.iter().find(|(n, _)| *n == "ladder-long").unwrap().1;
    let in_new_york = Mapping::parse("new-york", &format!("timezone = \"America/New_York\"\n{text}")).unwrap();
    each_backend(async |t| {
        let r = import_people(&t.db, csv("people.csv", PEOPLE)).await;
        assert!(r.committed, "{r}");
        let one = "employee,date,metric,numerator,denominator\nE1,2025-07-25T01:00:00Z,aht,300,1\n";
        let fw = Framework::default_framework();
        let r = ladder_import::kpi::import(&t.db, &fw, &in_new_york, &csv("one.csv", one), &options()).await.unwrap();
        assert!(r.committed, "{r}");
        // 01:00 UTC is 21:00 the day before in New York (it would be the 25th in Manila).
        assert_eq!(days(daily(&t.db).await), vec![("E1".into(), day(2025, 7, 24), 300.0)], "{:?}", t.backend);
    })
    .await;
    let wrong = Mapping::parse("wrong", &format!("timezone = \"Mars/Olympus\"\n{text}")).unwrap();
    let refused = wrong.check(&Framework::default_framework()).unwrap_err().to_string();
    assert!(refused.contains("timezone") && refused.contains("Mars/Olympus"), "{refused}");
}
