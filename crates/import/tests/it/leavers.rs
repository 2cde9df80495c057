//! Leave dates (issue 25's headcount): a people file's `leave_date` (or `termination date`)
//! column marks someone inactive on that day; marked inactive without one, they left on the
//! day of the import; active again, the date is cleared.

use crate::common;

use chrono::NaiveDate;
use common::*;
use ladder_store::on_db;

async fn left_on(db: &ladder_store::Db, code: &str) -> (bool, Option<NaiveDate>) {
    let sql = "SELECT active, left_on FROM employees WHERE code = $1";
    on_db!(db, p => sqlx::query_as(sql).bind(code).fetch_one(p).await.unwrap())
}

/// The people file with one more column: `value` for `code`, blank for everyone else.
fn with_column(text: &str, column: &str, code: &str, value: &str) -> String {
    let mut lines = text.lines();
    let mut out = format!("{},{column}\n", lines.next().unwrap());
    for line in lines {
        let cell = if line.starts_with(&format!("{code},")) { value } else { "" };
        out.push_str(&format!("{line},{cell}\n"));
    }
    out
}

#[tokio::test]
async fn a_leave_date_makes_someone_a_leaver_on_that_day() {
    each_backend(async |t| {
        let text = std::fs::read_to_string(data("people.csv")).unwrap();
        assert!(import_people(&t.db, csv("people.csv", &text)).await.committed);
        assert_eq!(left_on(&t.db, "E1001").await, (true, None));

        let file = with_column(&text, "Termination Date", "E1001", "2026-03-20");
        let r = import_people(&t.db, csv("people.csv", &file)).await;
        assert!(r.committed, "{r}");
        assert_eq!(left_on(&t.db, "E1001").await, (false, Some(day(2026, 3, 20))));

        // Inactive with no date: the day of the import.
        let file = with_column(&text, "active", "E1002", "no");
        assert!(import_people(&t.db, csv("people.csv", &file)).await.committed);
        assert_eq!(left_on(&t.db, "E1002").await, (false, Some(chrono::Utc::now().date_naive())));

        // Back again: no leave date.
        let file = with_column(&text, "active", "E1001", "yes");
        assert!(import_people(&t.db, csv("people.csv", &file)).await.committed);
        assert_eq!(left_on(&t.db, "E1001").await, (true, None));

        // A corrected leave date alone is a change.
        let file = with_column(&text, "leave_date", "E1001", "2026-03-20");
        assert!(import_people(&t.db, csv("people.csv", &file)).await.committed);
        let file = with_column(&text, "leave_date", "E1001", "2026-03-27");
        assert!(import_people(&t.db, csv("people.csv", &file)).await.committed);
        assert_eq!(left_on(&t.db, "E1001").await, (false, Some(day(2026, 3, 27))));

        // Still active in a notice period: the date is kept.
        let notice = with_column(&text, "leave_date", "E1003", "2026-12-31").replace("leave_date", "leave_date,active");
        let notice: String = notice
            .lines()
            .enumerate()
            .map(|(i, l)| if i == 0 { format!("{l}\n") } else { format!("{l},{}\n", if l.starts_with("E1003,") { "yes" } else { "" }) })
            .collect();
        assert!(import_people(&t.db, csv("people.csv", &notice)).await.committed);
        assert_eq!(left_on(&t.db, "E1003").await, (true, Some(day(2026, 12, 31))));

        // A newcomer who has already left keeps the file's date.
        let newcomer = format!("{}\nE9999,Nia New,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2024-01-01,\n", text.trim_end());
        let file = with_column(&newcomer, "leave_date", "E9999", "2026-02-28");
        let r = import_people(&t.db, csv("people.csv", &file)).await;
        assert!(r.committed, "{r}");
        assert_eq!(left_on(&t.db, "E9999").await, (false, Some(day(2026, 2, 28))));

        // A leave date before the hire date is a problem naming the column.
        let file = with_column(&text, "leave_date", "E1001", "2020-01-01");
        let r = import_people(&t.db, csv("people.csv", &file)).await;
        assert!(!r.committed);
        assert!(r.to_string().contains("leave"), "{r}");
    })
    .await;
}
