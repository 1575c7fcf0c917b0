//! The one line each client prints per run, and peak memory.

use std::time::Duration;

use crate::workload::Workload;

/// Peak resident set size of this process in KiB (`VmHWM`).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Prints `RESULT client=.. workload=.. units=.. secs=.. rss_kib=.. check=..`.
pub fn print(client: &str, workload: Workload, elapsed: Duration, check: i64) {
    println!(
        "RESULT client={client} workload={} units={} secs={:.6} rss_kib={} check={check}",
        workload.name(),
        workload.units(),
        elapsed.as_secs_f64(),
        peak_rss_kib(),
    );
}

/// The value a correct run reports as `check`: the int sum for W1, the
/// number of queries or transactions otherwise.
pub fn expected_check(workload: Workload) -> i64 {
    match workload {
        Workload::W1 | Workload::W1Small => crate::workload::expected_sum(workload.rows()),
        other => other.units() as i64,
    }
}
