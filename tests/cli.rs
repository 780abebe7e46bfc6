//! The `wkcrm` binary end to end: migrate, user add, demo-data, and serve over a real
//! socket: graceful shutdown on SIGTERM, the connection limits, bodies that routes ignore.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A fresh database: SQLite, or a new database on `WKCRM_TEST_DATABASE_URL`'s server.
async fn temp_db() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("wkcrm_cli_{}_{nanos}", std::process::id());
    match std::env::var("WKCRM_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let pool = sqlx::PgPool::connect(&server).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .unwrap();
            let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
            format!("{base}/{name}")
        }
        _ => format!(
            "sqlite:{}",
            std::env::temp_dir().join(format!("{name}.db")).display()
        ),
    }
}

fn wkcrm(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wkcrm"));
    cmd.arg("--database")
        .arg(db)
        .env_remove("WKCRM_DATABASE_URL")
        .env("WKCRM_LOG", "warn");
    cmd
}

/// One HTTP/1.1 request over a real socket; answers the JSON body.
async fn http(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> Value {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    let (_, body) = raw.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {raw}"))
}

#[tokio::test]
async fn migrate_user_add_and_demo_data() {
    let db = temp_db().await;
    let out = wkcrm(&db)
        .arg("migrate")
        .env("WKCRM_LOG", "info")
        .env("WKCRM_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let line: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).expect("a JSON log line");
    assert_eq!(line["fields"]["message"], "migrations applied");
    let out = wkcrm(&db)
        .args([
            "user",
            "add",
            "--username",
            "zhang",
            "--password",
            "secret-1",
            "--realname",
            "张三",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("added user zhang with id "));
    let dup = wkcrm(&db)
        .args([
            "user",
            "add",
            "--username",
            "zhang",
            "--password",
            "secret-1",
            "--realname",
            "张",
        ])
        .output()
        .unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("用户名已存在"));
    let out = wkcrm(&db)
        .args([
            "demo-data",
            "--leads",
            "700",
            "--customers",
            "30",
            "--contacts",
            "40",
            "--business",
            "20",
            "--followups",
            "50",
            "--history",
            "25",
            "--users",
            "3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "generated 700 leads, 30 customers, 40 contacts, 20 business, 50 follow-ups and 25 history entries for 3 users"
    ));
    // The protection rules are off until an administrator enables them: a pass moves nothing.
    let out = wkcrm(&db).arg("recycle").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with(
            "0 customers returned to the pools (0 without follow-up, 0 without new business, 0 not dealt) in "
        ),
        "{said}"
    );
}

#[tokio::test]
async fn export_and_import_leads_with_a_summary() {
    let (source, target) = (temp_db().await, temp_db().await);
    for db in [&source, &target] {
        let out = wkcrm(db)
            .args([
                "user",
                "add",
                "--username",
                "boss",
                "--password",
                "secret-1",
                "--realname",
                "老板",
                "--admin",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = wkcrm(&source)
        .args(["demo-data", "--leads", "300", "--users", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::env::temp_dir().join(format!("wkcrm_cli_export_{}.xlsx", std::process::id()));
    let out = wkcrm(&source)
        .args(["export", "leads", "--as", "boss", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Converted leads are not in the list, nor in its export.
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows: u64 = said
        .strip_prefix("exported ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(rows > 200, "{said}");
    let out = wkcrm(&target)
        .args(["import", "leads", "--as", "boss", "--owner", "boss"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    let summary = format!("finished: {rows} rows, {rows} imported, 0 updated, 0 skipped, 0 refused");
    assert!(said.contains(&summary), "{said}");
    let out = wkcrm(&target)
        .args([
            "export",
            "leads",
            "--as",
            "boss",
            "--format",
            "csv",
            "--search",
            "nothing-like-this",
            "-o",
        ])
        .arg(file.with_extension("csv"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("exported 0 rows"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(file.with_extension("csv"));
}

#[tokio::test]
async fn serve_creates_the_admin_answers_on_a_socket_and_stops_on_sigterm() {
    let db = temp_db().await;
    let mut child = wkcrm(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("WKCRM_ADMIN_PASSWORD")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let password = first
        .split("password ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let addr = listening_addr(&lines.next().unwrap().unwrap());

    let health = http(&addr, "GET", "/api/health", "", "").await;
    assert_eq!(health["data"]["status"], "ok");
    let form = format!("username=admin&password={password}");
    let login = http(
        &addr,
        "POST",
        "/api/login",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        &form,
    )
    .await;
    assert_eq!(login["code"], 0, "{login}");
    assert_eq!(login["user"]["lastLoginIp"], "127.0.0.1");
    let token = login["Admin-Token"].as_str().unwrap();
    let list = http(
        &addr,
        "GET",
        "/api/CrmLeads/queryPageList",
        &format!("Admin-Token: {token}\r\n"),
        "",
    )
    .await;
    assert_eq!(list["data"]["totalRow"], 0);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");

    // A second start keeps the admin and prints no password.
    let out = wkcrm(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = out;
    let line = BufReader::new(out.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(line.starts_with("wkcrm is listening"), "{line}");
    Command::new("kill")
        .args(["-TERM", &out.id().to_string()])
        .status()
        .unwrap();
    assert!(out.wait().unwrap().success());
}

/// The address in the `wkcrm is listening on http://…` line.
fn listening_addr(line: &str) -> String {
    let rest = line.split("http://").nth(1).unwrap_or_else(|| panic!("{line}"));
    rest.split(' ').next().unwrap().to_owned()
}

const ADMIN_PASSWORD: &str = "admin-pass-123";

/// `wkcrm serve` on a fresh database and a free port, with extra flags; killed when dropped
/// so that a failing test leaves no server behind.
struct Server {
    child: Child,
    addr: String,
    // Kept open: the server's log lines must not meet a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    async fn start(flags: &[&str]) -> Server {
        let db = temp_db().await;
        let mut child = wkcrm(&db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .env("WKCRM_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        Server {
            child,
            addr: listening_addr(&line),
            _stdout: stdout,
        }
    }

    async fn connect(&self) -> Conn {
        Conn(tokio::io::BufReader::new(
            TcpStream::connect(&self.addr).await.unwrap(),
        ))
    }

    fn terminate(&self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
    }

    /// The exit status, which must come within `bound`.
    async fn exit_within(&mut self, bound: Duration) -> ExitStatus {
        let deadline = Instant::now() + bound;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running after {bound:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kept-alive HTTP/1.1 connection.
struct Conn(tokio::io::BufReader<TcpStream>);

impl Conn {
    async fn send(&mut self, raw: &[u8]) {
        self.0.get_mut().write_all(raw).await.unwrap();
    }

    /// One request with a body; answers the response's head and JSON body.
    async fn request(&mut self, method: &str, path: &str, headers: &str, body: &str) -> (String, Value) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: wkcrm\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        );
        self.send(head.as_bytes()).await;
        self.send(body.as_bytes()).await;
        self.response().await
    }

    async fn response(&mut self) -> (String, Value) {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            assert!(
                self.0.read_line(&mut line).await.unwrap() > 0,
                "closed after {head:?}"
            );
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("no length in {head}"))
            .trim()
            .parse()
            .unwrap();
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).await.unwrap();
        let json = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("not JSON: {head}"));
        (head, json)
    }

    /// Asserts that the server closes the connection within `bound` and sends nothing more.
    async fn assert_closed_within(&mut self, bound: Duration) {
        let mut rest = Vec::new();
        match tokio::time::timeout(bound, self.0.read_to_end(&mut rest)).await {
            Ok(Ok(_)) => assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest)),
            Ok(Err(e)) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
            Err(_) => panic!("still open after {bound:?}"),
        }
    }

    /// Asserts that the connection stays open (and silent) for `span`.
    async fn assert_open_for(&mut self, span: Duration) {
        let mut byte = [0];
        let read = tokio::time::timeout(span, self.0.read(&mut byte)).await;
        assert!(read.is_err(), "closed or answered early: {read:?}");
    }
}

async fn login(conn: &mut Conn) -> String {
    let form = format!("username=admin&password={ADMIN_PASSWORD}");
    let (_, body) = conn
        .request(
            "POST",
            "/api/login",
            "Content-Type: application/x-www-form-urlencoded\r\n",
            &form,
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    body["Admin-Token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_request_head_not_finished_in_time_is_dropped() {
    let server = Server::start(&["--header-timeout-secs", "1"]).await;
    let mut conn = server.connect().await;
    conn.send(b"GET /api/health HTTP/1.1\r\nHost: wkcrm\r\n").await;
    let started = Instant::now();
    conn.assert_closed_within(Duration::from_secs(5)).await;
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = Server::start(&["--header-timeout-secs", "1", "--idle-timeout-secs", "3"]).await;
    let mut conn = server.connect().await;
    let (_, health) = conn.request("GET", "/api/health", "", "").await;
    assert_eq!(health["code"], 0);
    // Idle for longer than the header timeout: that one does not apply between requests.
    conn.assert_open_for(Duration::from_secs(2)).await;
    let (_, health) = conn.request("GET", "/api/health", "", "").await;
    assert_eq!(health["code"], 0);
    let idle = Instant::now();
    conn.assert_closed_within(Duration::from_secs(6)).await;
    assert!(
        idle.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        idle.elapsed()
    );
}

#[tokio::test]
async fn idle_connections_at_the_cap_time_out_and_health_answers_again() {
    let server = Server::start(&[
        "--max-connections",
        "4",
        "--header-timeout-secs",
        "2",
        "--idle-timeout-secs",
        "2",
    ])
    .await;
    // Two that never send a byte, two kept alive after a request.
    let mut held = Vec::new();
    for i in 0..4 {
        let mut conn = server.connect().await;
        if i % 2 == 1 {
            assert_eq!(conn.request("GET", "/api/health", "", "").await.1["code"], 0);
        }
        held.push(conn);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut over = server.connect().await;
    over.assert_closed_within(Duration::from_secs(1)).await;
    for conn in &mut held {
        conn.assert_closed_within(Duration::from_secs(5)).await;
    }
    let health = http(&server.addr, "GET", "/api/health", "", "").await;
    assert_eq!(health["data"]["status"], "ok");
}

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_and_exits_within_the_grace_period() {
    let grace = 2;
    let mut server = Server::start(&[
        "--shutdown-grace-secs",
        &grace.to_string(),
        "--header-timeout-secs",
        "60",
    ])
    .await;
    let mut half_head = server.connect().await;
    half_head
        .send(b"POST /api/health HTTP/1.1\r\nHost: wkcrm\r\n")
        .await;
    let form = format!("username=admin&password={ADMIN_PASSWORD}");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: wkcrm\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        form.len()
    );
    let (first, rest) = form.split_at(10);
    let mut in_flight = server.connect().await;
    let mut stalled = server.connect().await;
    for conn in [&mut in_flight, &mut stalled] {
        conn.send(head.as_bytes()).await;
        conn.send(first.as_bytes()).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        TcpStream::connect(&server.addr).await.is_err(),
        "no longer accepting"
    );
    half_head.assert_closed_within(Duration::from_secs(1)).await;
    in_flight.send(rest.as_bytes()).await;
    let (head, login) = in_flight.response().await;
    assert_eq!(login["code"], 0, "{login}");
    assert!(head.to_ascii_lowercase().contains("connection: close"), "{head}");
    let status = server.exit_within(Duration::from_secs(grace + 5)).await;
    assert!(status.success(), "{status:?}");
    assert!(
        signalled.elapsed() >= Duration::from_millis(1500),
        "the stalled request had its grace"
    );
}

#[tokio::test]
async fn routes_that_need_no_parameters_still_read_the_body() {
    let server = Server::start(&[]).await;
    let mut conn = server.connect().await;
    let token = login(&mut conn).await;
    let headers = format!("Admin-Token: {token}\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    let body = format!("pad={}", "x".repeat(100 * 1024));
    let routes = [
        ("/api/health", 0),
        ("/api/system/role/getAllRoleList", 0),
        ("/api/system/menu/getAllMenuList", 0),
        ("/api/system/dept/queryDeptTree", 0),
        ("/api/CrmProductCategory/queryList", 0),
        ("/api/openapi.json", 405),
        ("/api/NoSuch/thing", 404),
    ];
    for _ in 0..3 {
        for (path, code) in routes {
            let (_, answer) = conn.request("POST", path, &headers, &body).await;
            assert_eq!(answer["code"], code, "{path}: {answer}");
        }
    }
    let (_, answer) = conn.request("GET", "/api/openapi.json", &headers, &body).await;
    assert!(answer["paths"].is_object());
}

#[tokio::test]
async fn requests_refused_before_their_body_is_read_still_get_whole_answers() {
    let server = Server::start(&[]).await;
    let mut conn = server.connect().await;
    let body = format!("pad={}", "x".repeat(100 * 1024));
    let form = "Content-Type: application/x-www-form-urlencoded\r\n";
    let expired = format!("Admin-Token: 0123456789abcdef0123456789abcdef\r\n{form}");
    let cross_site = format!(
        "Cookie: Admin-Token=0123456789abcdef0123456789abcdef\r\nSec-Fetch-Site: cross-site\r\n{form}"
    );
    // Refused by the auth extractor, before any handler reads the body, on one connection.
    for _ in 0..3 {
        let (_, answer) = conn
            .request("POST", "/api/CrmLeads/queryPageList", form, &body)
            .await;
        assert_eq!(answer["code"], 302, "{answer}");
        let (_, answer) = conn
            .request("POST", "/api/CrmLeads/addOrUpdate", &expired, &body)
            .await;
        assert_eq!(answer["code"], 302, "{answer}");
        let (_, answer) = conn
            .request("POST", "/api/CrmLeads/deleteByIds", &cross_site, &body)
            .await;
        assert_eq!(answer["code"], 401, "{answer}");
    }
}
