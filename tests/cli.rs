//! The `wkcrm` binary end to end: migrate, user add, demo-data, and serve over a real
//! socket with graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
        .args(["demo-data", "--leads", "700", "--users", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("generated 700 leads and 0 customers for 3 users"));
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
    let second = lines.next().unwrap().unwrap();
    let addr = second
        .split("http://")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();

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
