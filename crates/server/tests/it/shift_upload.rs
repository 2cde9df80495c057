//! Uploading a time-clock file on `/import/shifts` and `POST /api/v1/imports/shifts` (issue 29):
//! it runs as an import job (progress, then the report on `/import/jobs/{id}` or as JSON); a
//! leader's rows about people outside their teams are problems and nothing is written.

use crate::common;

use common::{each_app, Persona};
use ladder_store::wellbeing as store;
use serde_json::Value;

/// Reads a job's page until it stops refreshing (the job is done), and returns it.
async fn finished_page(s: &common::Session, path: &str) -> String {
    for _ in 0..400 {
        let html = s.get(path).await.text().await.unwrap();
        if !html.contains("http-equiv=\"refresh\"") {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the job at {path} never finished");
}

/// Reads a job's JSON until it is no longer running.
async fn finished_job(s: &common::Session, url: &str) -> Value {
    for _ in 0..400 {
        let job = s.get_json(url, 200).await;
        if job["status"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the job at {url} never finished");
}

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

/// Uploads from the form; a started job is followed to its end, whose page is returned.
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
    let (status, path) = (res.status().as_u16(), res.url().path().to_string());
    if path.starts_with("/import/jobs/") {
        return (status, finished_page(s, &path).await);
    }
    (status, res.text().await.unwrap())
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
        assert!(html.contains("not imported") && html.contains("no employee you may import for has this name"), "{html}");
        // Every problem by row, column and value, on the job's page.
        assert!(html.contains(r#"<th scope="row" class="num">4</th><td>employee</td><td>Other, Ben</td>"#), "{html}");
        assert!(html.contains(r#"<a href="/import/shifts">Import another file</a>"#), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0, "{backend:?}");

        let (_, html) = upload(&leader, "sprout-biologs", true, ana).await;
        assert!(html.contains("dry run, nothing written"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0);
        let (_, html) = upload(&leader, "sprout-biologs", false, ana).await;
        assert!(html.contains("biologs.csv (sprout-biologs): imported"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 1, "{backend:?}");

        // An unknown preset is the form's to show: no job starts.
        let (status, html) = upload(&leader, "kronos", false, ana).await;
        assert!(status == 200 && html.contains("no shift preset") && html.contains("<form"), "{html}");
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/import/shifts").await.status().as_u16(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_running_shift_job_shows_its_progress_page_and_the_report_when_done() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let file = "Employee,Date,Time,Log Mode\n\"Agent, Ana\",03/02/2026,09:00 PM,In\n\"Agent, Ana\",03/03/2026,06:00 AM,Out\n";
        let (content_type, body) = form(hr.csrf.as_deref().unwrap(), "sprout-biologs", true, file);
        let res = hr
            .client
            .post(format!("{}/import/shifts", hr.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let job = res.url().path().to_string();
        assert!(job.starts_with("/import/jobs/"), "the upload goes to its job: {job}");
        let html = finished_page(&hr, &job).await;
        assert!(html.contains("biologs.csv (sprout-biologs): checked — dry run, nothing written"), "{html}");
        assert!(html.contains("1 shift for 1 person"), "{html}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0);
        // Another user's job is not theirs to read.
        let leader = app.sign_in(Persona::Leader).await;
        assert_eq!(leader.get(&job).await.status().as_u16(), 404);
    })
    .await;
}

#[tokio::test]
async fn the_api_answers_202_with_the_job_then_the_report_with_the_leaders_rules() {
    each_app(async |app| {
        let backend = app.backend;
        let leader = app.sign_in(Persona::Leader).await;
        let ana = "Employee,Date,Time,Log Mode\n\"Agent, Ana\",03/02/2026,09:00 PM,In\n\"Agent, Ana\",03/03/2026,06:00 AM,Out\n";
        let both = format!("{ana}\"Other, Ben\",03/02/2026,09:00 AM,In\n\"Other, Ben\",03/02/2026,06:00 PM,Out\n");
        let (status, started) = leader.upload("/api/v1/imports/shifts?mapping=sprout-biologs", &both).await;
        assert_eq!(status, 202, "{backend:?}: {started}");
        let url = started["url"].as_str().unwrap().to_string();
        assert!(url.starts_with("/api/v1/imports/jobs/") && started["page"].as_str().unwrap().starts_with("/import/jobs/"));
        let job = finished_job(&leader, &url).await;
        assert_eq!(job["status"], "done", "{job}");
        let report = &job["shift_report"];
        assert_eq!(report["committed"], false, "{job}");
        let problems = report["problems"].as_array().unwrap();
        // Ben's In/Out pair is one shift: one problem, at its first row, by column and value.
        assert_eq!(problems.len(), 1, "{job}");
        let ben = &problems[0];
        assert!(ben["row"] == 4 && ben["column"] == "employee" && ben["value"] == "Other, Ben", "{job}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0, "{backend:?}");

        let (status, started) = leader.upload("/api/v1/imports/shifts?mapping=sprout-biologs&dry_run=true", ana).await;
        assert_eq!(status, 202, "{started}");
        let job = finished_job(&leader, started["url"].as_str().unwrap()).await;
        assert!(job["shift_report"]["dry_run"] == true && job["shift_report"]["committed"] == false, "{job}");
        assert_eq!(store::count(&app.db).await.unwrap(), 0);
        let (_, started) = leader.upload("/api/v1/imports/shifts?mapping=sprout-biologs", ana).await;
        let job = finished_job(&leader, started["url"].as_str().unwrap()).await;
        assert_eq!(job["shift_report"]["committed"], true, "{job}");
        assert_eq!(job["shift_report"]["file"], "march.csv", "the x-file-name is kept: {job}");
        assert_eq!(store::count(&app.db).await.unwrap(), 1, "{backend:?}");

        // Refused before any job: an unknown preset, an unknown query field; the job is the owner's.
        let (status, body) = leader.upload("/api/v1/imports/shifts?mapping=kronos", ana).await;
        assert!(status == 422 && body.to_string().contains("mapping"), "{status} {body}");
        let (status, _) = leader.upload("/api/v1/imports/shifts?mappings=ladder", ana).await;
        assert_eq!(status, 422);
        let hr = app.sign_in(Persona::Hr).await;
        assert_eq!(hr.get(started["url"].as_str().unwrap()).await.status().as_u16(), 404);
        let agent = app.sign_in(Persona::Agent).await;
        let (status, _) = agent.upload("/api/v1/imports/shifts?mapping=sprout-biologs", ana).await;
        assert_eq!(status, 403);
    })
    .await;
}
