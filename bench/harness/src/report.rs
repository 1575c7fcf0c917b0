//! The one line each client prints per run: time, memory, allocations.

use std::time::{Duration, Instant};

use crate::workload::Workload;

/// A `/proc/self/status` figure in KiB (`VmHWM`, `VmRSS`, ...).
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Peak resident set size of this process in KiB (`VmHWM`).
pub fn peak_rss_kib() -> u64 {
    status_kib("VmHWM")
}

/// Resident set size of this process now, in KiB (`VmRSS`).
pub fn rss_kib() -> u64 {
    status_kib("VmRSS")
}

/// The measured part of a run: started after connecting and warming up.
#[derive(Debug)]
pub struct Measurement {
    client: &'static str,
    workload: Workload,
    started: Instant,
    allocations: u64,
    rss_before_kib: u64,
}

impl Measurement {
    /// Starts measuring now.
    pub fn start(client: &'static str, workload: Workload) -> Measurement {
        Measurement {
            client,
            workload,
            rss_before_kib: rss_kib(),
            allocations: crate::alloc::allocations(),
            started: Instant::now(),
        }
    }

    /// Stops and prints the `RESULT` line (see [`print`]).
    pub fn finish(self, check: i64, p99_micros: Option<u32>) {
        self.stop().print(check, p99_micros);
    }

    /// Stops the clock (and the allocation count), for a check worked out
    /// afterwards.
    pub fn stop(self) -> Stopped {
        Stopped {
            elapsed: self.started.elapsed(),
            allocations: crate::alloc::allocations() - self.allocations,
            measurement: self,
        }
    }
}

/// A measurement whose clock has stopped.
#[derive(Debug)]
pub struct Stopped {
    measurement: Measurement,
    elapsed: Duration,
    allocations: u64,
}

impl Stopped {
    /// Prints the `RESULT` line (see [`print`]).
    pub fn print(self, check: i64, p99_micros: Option<u32>) {
        print(&Outcome {
            client: self.measurement.client,
            workload: self.measurement.workload,
            elapsed: self.elapsed,
            check,
            allocations: self.allocations,
            rss_before_kib: self.measurement.rss_before_kib,
            p99_micros,
        });
    }
}

/// What one run measured.
#[derive(Debug)]
pub struct Outcome {
    /// Who ran it.
    pub client: &'static str,
    /// What ran.
    pub workload: Workload,
    /// Wall time of the measured part.
    pub elapsed: Duration,
    /// The workload's check value.
    pub check: i64,
    /// Allocations during the measured part.
    pub allocations: u64,
    /// Resident memory when the measured part began.
    pub rss_before_kib: u64,
    /// W7: the 99th percentile of operation latency.
    pub p99_micros: Option<u32>,
}

/// Prints `RESULT client=.. workload=.. units=.. secs=.. rss_kib=..
/// rss_before_kib=.. allocs=.. check=.. [p99_us=..]`.
pub fn print(outcome: &Outcome) {
    let p99 = outcome
        .p99_micros
        .map_or(String::new(), |p| format!(" p99_us={p}"));
    println!(
        "RESULT client={} workload={} units={} secs={:.6} rss_kib={} rss_before_kib={} allocs={} check={}{p99}",
        outcome.client,
        outcome.workload.name(),
        outcome.workload.units(),
        outcome.elapsed.as_secs_f64(),
        peak_rss_kib(),
        outcome.rss_before_kib,
        outcome.allocations,
        outcome.check,
    );
}

/// The value a correct run reports as `check`: the int sum for the W1
/// variants, the `age + since` sum for W5, the rows written for W6, the
/// number of queries, transactions or operations otherwise.
pub fn expected_check(workload: Workload) -> i64 {
    match workload {
        w if w.is_w1() => crate::workload::expected_sum(workload.rows()),
        Workload::W5 => crate::workload::w5_check(workload.rows()),
        Workload::W6 => {
            (crate::workload::W6_QUERIES as usize * crate::workload::W6_ROWS_PER_QUERY) as i64
        }
        other => other.units() as i64,
    }
}
