//! The pages over HTTP: sign-in with form CSRF, account and admin pages, access on pages.

use crate::common;

use common::{each_app, Persona, TestApp, PASSWORD};

/// Posts a form's `fields` to `url` as `client` (its cookies, no token added).
async fn post_form(client: &reqwest::Client, url: String, fields: &[(&str, &str)]) -> reqwest::Response {
    client.post(url).form(fields).send().await.unwrap()
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field") + 20;
    html[at..].split('"').next().unwrap().to_string()
}

async fn sign_in_by_form(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(format!("{}/signin?next=/account", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<label for=\"email\">Email</label>"), "labelled fields");
    let csrf = csrf_of(&page);
    let res = post_form(
        &client,
        format!("{}/signin", app.base),
        &[("_csrf", csrf.as_str()), ("email", email), ("password", PASSWORD), ("next", "/account")],
    )
    .await;
    assert_eq!(res.status(), 303, "redirect after sign-in");
    assert_eq!(res.headers()["location"], "/account");
    let account = client.get(format!("{}/account", app.base)).send().await.unwrap().text().await.unwrap();
    (client, csrf_of(&account))
}

#[tokio::test]
async fn pages_need_sign_in_and_forms_need_their_token() {
    each_app(async |app| {
        let backend = app.backend;
        let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let res = anon.get(format!("{}/account", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/signin?next=/account");

        // A sign-in form posted without the page's token is refused.
        let res =
            post_form(&anon, format!("{}/signin", app.base), &[("email", "agent@example.com"), ("password", PASSWORD)])
                .await;
        assert_eq!(res.status(), 403, "{backend:?}");

        let (client, csrf) = sign_in_by_form(&app, "agent@example.com").await;
        let page = client.get(format!("{}/account", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Signed in as <strong>Agent</strong>"));
        let res =
            post_form(&client, format!("{}/account/tokens", app.base), &[("_csrf", "forged"), ("name", "x")]).await;
        assert_eq!(res.status(), 403);
        let res =
            post_form(&client, format!("{}/account/tokens", app.base), &[("_csrf", csrf.as_str()), ("name", "sync")])
                .await;
        let html = res.text().await.unwrap();
        assert!(html.contains("New token <strong>sync</strong>: <code>ldr_"), "token shown once");
    })
    .await;
}

#[tokio::test]
async fn the_admin_page_is_for_admins_and_invites_by_link() {
    each_app(async |app| {
        let backend = app.backend;
        let (agent, _) = sign_in_by_form(&app, Persona::Agent.email()).await;
        let res = agent.get(format!("{}/admin", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 403, "{backend:?}");
        assert!(res.text().await.unwrap().contains("Not yours to see"));

        let (admin, csrf) = sign_in_by_form(&app, Persona::Admin.email()).await;
        let page = admin.get(format!("{}/admin", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("agent@example.com") && page.contains("Career framework"));
        let res = admin
            .post(format!("{}/admin/invite", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("email", "new@example.com"),
                ("name", "New"),
                ("access", "agent"),
                ("employee_code", "E3"),
            ])
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        let link = html.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("a one-time link");
        let path = link.split_once("/invite/").map(|(_, t)| format!("/invite/{t}")).unwrap();

        // The invitee sets a password on the invitation page, then signs in.
        let invitee = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let form = invitee.get(format!("{}{path}", app.base)).send().await.unwrap().text().await.unwrap();
        let token = csrf_of(&form);
        let done = post_form(
            &invitee,
            format!("{}{path}", app.base),
            &[("_csrf", token.as_str()), ("password", "a long enough password")],
        )
        .await;
        assert!(done.text().await.unwrap().contains("Password set"));
        let again = post_form(
            &invitee,
            format!("{}{path}", app.base),
            &[("_csrf", token.as_str()), ("password", "a long enough password")],
        )
        .await;
        assert_eq!(again.status(), 404, "{backend:?}: the link works once");
    })
    .await;
}
