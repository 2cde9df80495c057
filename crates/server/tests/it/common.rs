//! Ladder served on a random port, through `ladder_server::serve` as `ladder serve` does, over a
//! fresh database of each backend (`ladder_testkit`), with a small organisation and one
//! signed-in client per persona.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ladder_core::access::Access;
use ladder_core::{EmployeeId, Framework, TeamId, UserId};
use ladder_server::state::{AppState, Config};
use ladder_store::users::NewUser;
use ladder_store::Db;
pub use ladder_testkit::Backend;
use ladder_testkit::TestDb;
use reqwest::{Client, Method, Response};
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";
static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| ladder_server::auth::hash_password(PASSWORD).unwrap());

/// Who is asking, in the authorization matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Persona {
    Anonymous,
    Agent,
    OtherTeamAgent,
    Leader,
    OtherLeader,
    Manager,
    Hr,
    Admin,
    /// A QA/trainer at site S1 (issue 26).
    Trainer,
}

impl Persona {
    pub const ALL: [Persona; 9] = [
        Persona::Anonymous,
        Persona::Agent,
        Persona::OtherTeamAgent,
        Persona::Leader,
        Persona::OtherLeader,
        Persona::Manager,
        Persona::Hr,
        Persona::Admin,
        Persona::Trainer,
    ];
    pub fn email(self) -> &'static str {
        match self {
            Persona::Anonymous => "",
            Persona::Agent => "agent@example.com",
            Persona::OtherTeamAgent => "other-agent@example.com",
            Persona::Leader => "leader@example.com",
            Persona::OtherLeader => "other-leader@example.com",
            Persona::Manager => "manager@example.com",
            Persona::Hr => "hr@example.com",
            Persona::Admin => "admin@example.com",
            Persona::Trainer => "qa@example.com",
        }
    }
}

/// The ids of the small organisation every test starts with.
///
/// Site S1 has account A1 with teams T1 (led by `leader`, with `agent`) and T2 (led by
/// `other_leader`, with `other_agent`); site S2 has account A2 with team T3 (`far_agent`).
/// The manager answers for account A1; the QA/trainer works at site S1.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub organisation: i64,
    pub sites: [i64; 2],
    pub accounts: [i64; 2],
    pub teams: [TeamId; 3],
    pub agent: EmployeeId,
    pub other_agent: EmployeeId,
    pub leader: EmployeeId,
    pub other_leader: EmployeeId,
    pub far_agent: EmployeeId,
    pub users: HashMap<Persona, UserId>,
}

/// A server over a seeded database; the server stops when the value is dropped.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub backend: Backend,
    pub fixture: Fixture,
    test_db: TestDb,
    server: ServerTask,
}

/// The server's task, stopped when dropped.
struct ServerTask(tokio::task::JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `body` against a server over a fresh, seeded database of each backend; each database is
/// removed afterwards, even when the body panics.
pub async fn each_app(body: impl AsyncFnMut(TestApp)) {
    each_app_with(Config::default(), body).await;
}

/// [`each_app`] with servers of the given configuration.
pub async fn each_app_with(config: Config, mut body: impl AsyncFnMut(TestApp)) {
    ladder_testkit::each_backend(async |test_db| body(TestApp::start(test_db, config.clone()).await).await).await;
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Fills the small organisation described on [`Fixture`].
pub async fn seed(db: &Db) -> Fixture {
    use ladder_store::org::*;
    let org = create_organisation(db, "Test BPO").await.unwrap();
    let s1 = create_site(db, org, "Manila", "PH", "Asia/Manila").await.unwrap();
    let s2 = create_site(db, org, "Cebu", "PH", "Asia/Manila").await.unwrap();
    let a1 = create_account(db, s1, "Telco voice", "Telco", "voice").await.unwrap();
    let a2 = create_account(db, s2, "Bank claims", "Bank", "back office").await.unwrap();
    let t1 = create_team(db, a1, "T1").await.unwrap();
    let t2 = create_team(db, a1, "T2").await.unwrap();
    let t3 = create_team(db, a2, "T3").await.unwrap();
    let person = |code: &str, name: &str, team: TeamId, role: &str| NewEmployee {
        code: code.into(),
        name: name.into(),
        email: None,
        team_id: Some(team),
        role_id: role.into(),
        role_since: day(2024, 1, 1),
        hire_date: day(2023, 6, 1),
        manager_id: None,
    };
    let leader = create_employee(db, org, &person("L1", "Lena Leader", t1, "team-leader")).await.unwrap();
    let other_leader = create_employee(db, org, &person("L2", "Omar Other", t2, "team-leader")).await.unwrap();
    let mut a = person("E1", "Ana Agent", t1, "customer-service-executive");
    a.manager_id = Some(leader);
    let agent = create_employee(db, org, &a).await.unwrap();
    let other_agent =
        create_employee(db, org, &person("E2", "Ben Other", t2, "customer-service-executive")).await.unwrap();
    let far_agent = create_employee(db, org, &person("E3", "Cora Far", t3, "data-entry-operator")).await.unwrap();
    set_team_leader(db, t1, leader).await.unwrap();
    set_team_leader(db, t2, other_leader).await.unwrap();

    let mut users = HashMap::new();
    for (persona, access, employee) in [
        (Persona::Agent, Access::Agent, Some(agent)),
        (Persona::OtherTeamAgent, Access::Agent, Some(other_agent)),
        (Persona::Leader, Access::TeamLeader, Some(leader)),
        (Persona::OtherLeader, Access::TeamLeader, Some(other_leader)),
        (Persona::Manager, Access::Manager, None),
        (Persona::Hr, Access::Hr, None),
        (Persona::Admin, Access::Admin, None),
        (Persona::Trainer, Access::Trainer, None),
    ] {
        let id = ladder_store::users::create_user(
            db,
            &NewUser {
                organisation_id: org,
                email: persona.email(),
                name: &format!("{persona:?}"),
                access,
                employee_id: employee,
                password_hash: Some(&PASSWORD_HASH),
            },
        )
        .await
        .unwrap();
        users.insert(persona, id);
    }
    ladder_store::users::add_manager_scope(db, users[&Persona::Manager], None, Some(a1)).await.unwrap();
    ladder_store::users::add_manager_scope(db, users[&Persona::Trainer], Some(s1), None).await.unwrap();
    Fixture {
        organisation: org,
        sites: [s1, s2],
        accounts: [a1, a2],
        teams: [t1, t2, t3],
        agent,
        other_agent,
        leader,
        other_leader,
        far_agent,
        users,
    }
}

impl TestApp {
    /// A server over a fresh database of `backend`, outside a runner: [`TestApp::stop`] removes
    /// the database (prefer [`each_app`], which also does when the test panics).
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::start(TestDb::new(backend).await, Config::default()).await
    }

    async fn start(test_db: TestDb, config: Config) -> TestApp {
        let db = test_db.db.clone();
        let fixture = seed(&db).await;
        let (base, server) = serve(&db, config).await;
        TestApp { base, db, backend: test_db.backend, fixture, test_db, server: ServerTask(server) }
    }

    /// Another app server on the same database, with its own state (as behind a load
    /// balancer); its address and its task, to abort when done. Sessions live in the database,
    /// so a signed-in client can switch to it by `base`.
    pub async fn another_server(&self) -> (String, tokio::task::JoinHandle<()>) {
        serve(&self.db, Config::default()).await
    }

    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    /// A client signed in as `persona`, with its CSRF token.
    pub async fn sign_in(&self, persona: Persona) -> Session {
        let client = self.client();
        if persona == Persona::Anonymous {
            return Session { client, csrf: None, base: self.base.clone() };
        }
        let res = client
            .post(format!("{}/api/v1/session", self.base))
            .json(&serde_json::json!({ "email": persona.email(), "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sign in as {persona:?}");
        let body: Value = res.json().await.unwrap();
        Session { client, csrf: body["csrf_token"].as_str().map(str::to_string), base: self.base.clone() }
    }

    /// Stops the server and removes the database.
    pub async fn stop(self) {
        drop(self.server);
        self.test_db.clean_up().await;
    }
}

/// Starts a server over `db` as `ladder serve` does, on a free port; its address and its task.
pub async fn serve(db: &Db, config: Config) -> (String, tokio::task::JoinHandle<()>) {
    let state = AppState::new(db.clone(), Framework::default_framework(), config);
    // As `ladder serve` does on start (there in the background): the pipeline's rows for everyone.
    ladder_server::service::pipeline::refresh_all(&state, true, &|_, _| {}).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        ladder_server::serve(state, listener, std::future::pending()).await.unwrap();
    });
    (base, server)
}

/// A signed-in (or anonymous) client.
pub struct Session {
    pub client: Client,
    pub csrf: Option<String>,
    pub base: String,
}

impl Session {
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Response {
        self.request(Method::PUT, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path, None).await
    }
    /// POSTs a CSV file as an import would; the status and the report.
    pub async fn upload(&self, path: &str, csv: &str) -> (u16, Value) {
        let mut req = self.client.request(Method::POST, format!("{}{}", self.base, path)).body(csv.to_string());
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        let res = req.header("x-file-name", "march.csv").send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
    /// GET and parse JSON, asserting the status.
    pub async fn get_json(&self, path: &str, status: u16) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status().as_u16(), status, "GET {path}");
        res.json().await.unwrap_or(Value::Null)
    }
}
