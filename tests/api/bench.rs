//! The benchmark suite at CI size (10,000 leads, one second a workload), so that it
//! cannot rot: every workload must run and answer code 0. The full run is
//! `bench/suite.sh` (1,000,000 leads), documented in BENCHMARKS.md.

use std::process::Command;

use crate::helpers::fresh_database;

/// The workloads `bench/suite.sh` measures besides the /api/health baseline.
const WORKLOADS: usize = 20;

fn wrk_installed() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

#[tokio::test]
async fn the_benchmark_suite_runs_every_workload_at_ci_size() {
    if !wrk_installed() {
        // CI installs wrk (.ci/run), so there the suite always runs.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs wrk for the benchmark suite"
        );
        eprintln!("wrk is not installed: the benchmark suite is not run");
        return;
    }
    let (url, files) = fresh_database().await;
    let backend = if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let out = std::env::temp_dir().join(format!("wkcrm-bench-{}.md", std::process::id()));
    let run = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/suite.sh"))
        .args(["--backend", backend, "--records", "10000", "--duration", "1"])
        .arg("--out")
        .arg(&out)
        .env("WKCRM_BENCH_BIN", env!("CARGO_BIN_EXE_wkcrm"))
        .env("WKCRM_BENCH_DATABASE_URL", &url)
        .output()
        .expect("run bench/suite.sh");
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "bench/suite.sh failed:\n{log}");
    let table = std::fs::read_to_string(&out).expect("the table");
    for file in files.iter().chain([&out]) {
        let _ = std::fs::remove_file(file);
    }
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| workload"))
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    assert_eq!(rows.len(), WORKLOADS + 1, "one row a workload:\n{table}");
    for row in &rows {
        let (name, rps, failed) = (row[1], row[2], row[6]);
        let rps: f64 = rps
            .parse()
            .unwrap_or_else(|_| panic!("requests/s of {name}:\n{table}"));
        assert!(rps > 0.0, "{name} ran no request:\n{table}");
        // A login may be turned away while the password checks are all busy (a slow
        // debug build); every other answer must be code 0.
        if !name.starts_with("login") {
            assert_eq!(failed, "0", "{name} had failed answers:\n{table}");
        }
    }
}
