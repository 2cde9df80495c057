//! Uploading a time-clock file on `/import/shifts` (issue 29): a leader's rows about people
//! outside their teams are problems and nothing is written; the report shows on the page.

use crate::common;

use common::{each_app, Persona};
use ladder_store::wellbeing as store;

/// A `multipart/form-data` body: the CSRF token, the preset, the dry-run box, the file.
fn form(csrf: &str, mapping: &str, dry_run: bool, file: &str) -> (String, String) {
    let boundary = "ladder-shift-boundary-3c9a";
    let mut fields = vec![("_csrf", None, csrf), ("mapping", None, mapping)];
    if dry_run {
        fields.push(("dry_run", None, "1"));
    }
    fields.push(("file", Some("biologs.csv"), file));
    let mut body = String::new();
    for (name, file_name, content) in fields {
        body += &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
        if let Some(f) = file_name {
            body += &format!("; filename=\"{f}\"\r\nContent-Type: text/csv");
        }
        body += &format!("\r\n\r\n{content}\r\n");
    }
    body += &format!("--{boundary}--\r\n");
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(s: &common::Session, mapping: &str, dry_run: bool, file: &str) -> (u16, String) {
    let (content_type, body) = form(s.csrf.as_deref().unwrap(), mapping, dry_run, file);
    let res = s
        .client
        .post(format!("{}/import/shifts", s.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_leader_uploads_biologs_for_their_team_only() {
    each_app(async |app| {
        let backend = app.backend;
        let leader = app.sign_in(Persona::Leader).await;
        let ana = "Employee,Date,Time,Log Mode\n\"Agent, Ana\",03/02/2026,09:00 PM,In\n\"Agent, Ana\",03/03/2026,06:00 AM,Out\n";
        // Ben is in another team: his rows are refused, and with them the file.
        let both = format!("{ana}\"Other, Ben\",03/02/2026,09:00 AM,In\n\"Other, Ben\",03/02/2026,06:00 PM,Out\n");
        let (status, html) = upload(&leader, "sprout-biologs", false, &both).await;
        assert_eq!(status, 200, "{backend:?}: {html}");
        assert!(html.contains("not imported") && html.contains("not one of the people you may import for"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0, "{backend:?}");

        let (_, html) = upload(&leader, "sprout-biologs", true, ana).await;
        assert!(html.contains("dry run, nothing written"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0);
        let (_, html) = upload(&leader, "sprout-biologs", false, ana).await;
        assert!(html.contains("biologs.csv (sprout-biologs): imported"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 1, "{backend:?}");

        let (_, html) = upload(&leader, "kronos", false, ana).await;
        assert!(html.contains("no shift preset"), "{html}");
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/import/shifts").await.status().as_u16(), 403);
    })
    .await;
}
