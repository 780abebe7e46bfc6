//! `spawn_app`: a fresh wkcrm on its own database, driven through the real router with
//! `oneshot`. The backend is SQLite (a temporary file) unless `WKCRM_TEST_DATABASE_URL`
//! names a PostgreSQL server, in which case every app gets a database of its own there.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use wkcrm::crm::{Clock, Crm};
use wkcrm::http::App;
use wkcrm::store::{Db, Pool};

pub const ADMIN_PASSWORD: &str = "admin-pass-123";

/// The three ways clients send parameters; every endpoint is tested with each.
#[derive(Clone, Copy, Debug)]
pub enum Enc {
    Query,
    Form,
    Json,
}

pub const ENCODINGS: [Enc; 3] = [Enc::Query, Enc::Form, Enc::Json];

pub struct TestApp {
    pub app: App,
    pub crm: Crm,
    pub url: String,
    pub token: String,
    files: Vec<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
    }
}

fn random_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh, empty database URL on the configured backend.
pub async fn fresh_database() -> (String, Vec<std::path::PathBuf>) {
    match std::env::var("WKCRM_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let name = format!("wkcrm_test_{}", random_suffix());
            let admin = Db::connect(&server)
                .await
                .expect("connect to the test PostgreSQL server");
            let Pool::Postgres(pool) = admin.pool() else {
                panic!("WKCRM_TEST_DATABASE_URL must be postgres://")
            };
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(pool)
                .await
                .unwrap();
            admin.close().await;
            let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
            (format!("{base}/{name}"), vec![])
        }
        _ => {
            let path = std::env::temp_dir().join(format!("wkcrm_test_{}.db", random_suffix()));
            let files = ["", "-wal", "-shm"]
                .iter()
                .map(|s| std::path::PathBuf::from(format!("{}{s}", path.display())))
                .collect();
            (format!("sqlite:{}", path.display()), files)
        }
    }
}

/// Opens wkcrm on `url` (migrating it) as a new instance.
pub async fn instance(url: &str, idle: Duration) -> (Crm, App) {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let crm = Crm::new(db, Clock::new(chrono_tz::Asia::Shanghai), idle);
    crm.ensure_custom_indexes().await.expect("custom indexes");
    crm.ensure_admin(Some(ADMIN_PASSWORD.into()))
        .await
        .expect("admin");
    let app = wkcrm::http::app(crm.clone(), 1024 * 1024);
    (crm, app)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Duration::from_secs(3600)).await
}

pub async fn spawn_app_with(idle: Duration) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    }
    let (url, files) = fresh_database().await;
    logged_in(url, files, idle, "admin", ADMIN_PASSWORD).await
}

/// wkcrm on a database already filled (`url`, with its `files` removed at drop), logged in
/// as `username`.
pub async fn app_on(url: String, files: Vec<std::path::PathBuf>, username: &str, password: &str) -> TestApp {
    logged_in(url, files, Duration::from_secs(3600), username, password).await
}

async fn logged_in(
    url: String,
    files: Vec<std::path::PathBuf>,
    idle: Duration,
    username: &str,
    password: &str,
) -> TestApp {
    let (crm, app) = instance(&url, idle).await;
    let mut test = TestApp {
        app,
        crm,
        url,
        token: String::new(),
        files,
    };
    test.token = test.login(username, password).await;
    test
}

/// Encodes params for the query string or a form: nested values become JSON text.
pub fn form_encode(params: &Value) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params.as_object().cloned().unwrap_or_default() {
        let text = match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        out.append_pair(&k, &text);
    }
    out.finish()
}

impl TestApp {
    /// Another wkcrm instance on the same database, holding the same admin token.
    pub async fn second_instance(&self) -> TestApp {
        let (crm, app) = instance(&self.url, Duration::from_secs(3600)).await;
        TestApp {
            app,
            crm,
            url: self.url.clone(),
            token: self.token.clone(),
            files: vec![],
        }
    }

    /// Sends a raw request and answers the status and the JSON body.
    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, Value) {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)));
        (status, body)
    }

    /// Calls `path` with `params` in the given encoding, with `token` when given.
    pub async fn send(&self, enc: Enc, path: &str, params: Value, token: Option<&str>) -> Value {
        let mut req = Request::builder();
        if let Some(t) = token {
            req = req.header("Admin-Token", t);
        }
        let req = match enc {
            Enc::Query => req
                .method(Method::GET)
                .uri(format!("{path}?{}", form_encode(&params)))
                .body(Body::empty()),
            Enc::Form => req
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_encode(&params))),
            Enc::Json => req
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(params.to_string())),
        };
        let (status, body) = self.raw(req.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        body
    }

    /// POST JSON as the administrator.
    pub async fn post(&self, path: &str, params: Value) -> Value {
        self.send(Enc::Json, path, params, Some(&self.token.clone()))
            .await
    }

    /// POST JSON as the holder of `token`.
    pub async fn post_as(&self, token: &str, path: &str, params: Value) -> Value {
        self.send(Enc::Json, path, params, Some(token)).await
    }

    /// A login attempt by form, answering the whole body.
    pub async fn try_login(&self, username: &str, password: &str) -> Value {
        self.send(
            Enc::Form,
            "/api/login",
            json!({"username": username, "password": password}),
            None,
        )
        .await
    }

    /// Asserts that `token` no longer opens a session.
    pub async fn assert_logged_out(&self, token: &str) {
        assert_error(
            &self
                .post_as(token, "/api/CrmLeads/queryPageList", json!({}))
                .await,
            302,
            "请先登录！",
        );
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = self
            .send(
                Enc::Form,
                "/api/login",
                json!({"username": username, "password": password}),
                None,
            )
            .await;
        assert_eq!(body["code"], 0, "login failed: {body}");
        body["Admin-Token"].as_str().unwrap().to_owned()
    }

    /// Adds a user and answers its id.
    pub async fn add_user(&self, username: &str, realname: &str) -> i64 {
        let body = self
            .post(
                "/api/system/user/addUser",
                json!({"username": username, "password": "secret-1", "realname": realname}),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
        body["data"].as_i64().unwrap()
    }

    /// Creates a record of a module (`CrmLeads`, …) from an entity; answers its id.
    pub async fn create(&self, module: &str, entity: Value) -> i64 {
        let body = self
            .post(&format!("/api/{module}/addOrUpdate"), json!({ "entity": entity }))
            .await;
        assert_eq!(body["code"], 0, "{body}");
        body["data"].as_i64().unwrap()
    }

    pub async fn list(&self, module: &str, params: Value) -> Value {
        let body = self.post(&format!("/api/{module}/queryPageList"), params).await;
        assert_eq!(body["code"], 0, "{body}");
        body["data"].clone()
    }

    /// The ids of a list response, in order.
    pub async fn list_ids(&self, module: &str, id_key: &str, params: Value) -> Vec<i64> {
        let data = self.list(module, params).await;
        data["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[id_key].as_i64().unwrap())
            .collect()
    }
}

/// A download (`file/downFile`) as the holder of `token`: status, headers and bytes.
pub async fn download(app: &TestApp, token: &str, file_id: i64) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let req = Request::builder()
        .uri(format!("/api/file/downFile?fileId={file_id}"))
        .header("Admin-Token", token)
        .body(Body::empty())
        .unwrap();
    let res = app.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

/// Counts the answers of a batch by code and message (`ok` for code 0), with the digits of
/// messages as `N` (`请等N秒后在重试！`).
pub fn tally(bodies: &[Value]) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for b in bodies {
        let key = if b["code"] == 0 {
            "ok".to_owned()
        } else {
            let mut msg = String::new();
            for c in b["msg"].as_str().unwrap_or("").chars() {
                if !c.is_ascii_digit() {
                    msg.push(c);
                } else if !msg.ends_with('N') {
                    msg.push('N');
                }
            }
            format!("{} {msg}", b["code"])
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// A 销售员 (seeded role 3, data scope 本人: own records only) and its token.
pub async fn salesperson(app: &TestApp, name: &str) -> (i64, String) {
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": name, "password": "secret-1", "realname": name, "roleIds": "3"}),
        )
        .await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    (id, app.login(name, "secret-1").await)
}

/// Asserts an error envelope with this code and message.
pub fn assert_error(body: &Value, code: i64, msg: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["msg"], msg, "{body}");
}

/// Runs one statement directly on the app's database (to set up states no API makes yet).
pub async fn exec_sql(app: &TestApp, sql: &str) {
    match app.crm.db.pool() {
        Pool::Sqlite(pool) => sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(pool)
            .await
            .map(|_| ()),
        Pool::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
    app.crm.db.note_external_write().await.unwrap();
}

/// One scalar from the app's database.
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    match app.crm.db.pool() {
        Pool::Sqlite(pool) => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(pool)
                .await
        }
        Pool::Postgres(pool) => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(pool)
                .await
        }
    }
    .unwrap()
}

/// What the generic tests need to know of each module.
pub struct Mod {
    pub route: &'static str,
    pub id_key: &'static str,
    pub ids_key: &'static str,
    pub name_column: &'static str,
    pub name_key: &'static str,
    pub transfer: &'static str,
}

pub const MODULES: [Mod; 4] = [
    Mod {
        route: "CrmLeads",
        id_key: "leadsId",
        ids_key: "leadsIds",
        name_column: "leads_name",
        name_key: "leadsName",
        transfer: "changeOwnerUser",
    },
    Mod {
        route: "CrmCustomer",
        id_key: "customerId",
        ids_key: "customerIds",
        name_column: "customer_name",
        name_key: "customerName",
        transfer: "transfer",
    },
    Mod {
        route: "CrmContacts",
        id_key: "contactsId",
        ids_key: "contactsIds",
        name_column: "name",
        name_key: "name",
        transfer: "transfer",
    },
    Mod {
        route: "CrmBusiness",
        id_key: "businessId",
        ids_key: "businessIds",
        name_column: "business_name",
        name_key: "businessName",
        transfer: "transfer",
    },
];

impl Mod {
    /// A valid entity for this module named `name`; contacts and business need a customer.
    pub fn entity(&self, name: &str, customer: i64) -> Value {
        let mut e = json!({ self.name_column: name, "remark": "备注" });
        if matches!(self.route, "CrmContacts" | "CrmBusiness") {
            e["customer_id"] = json!(customer);
        }
        e
    }

    pub fn path(&self, action: &str) -> String {
        format!("/api/{}/{action}", self.route)
    }
}
