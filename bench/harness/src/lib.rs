//! Benchmark harness shared by every client: the workloads, a Bolt server
//! that streams pre-encoded records, the raw-socket floor client and the
//! result line every client prints.

pub mod alloc;
pub mod raw;
pub mod report;
pub mod server;
pub mod workload;
