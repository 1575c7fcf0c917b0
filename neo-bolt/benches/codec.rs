//! Codec benchmark (placeholder until the benchmark lands).

fn main() {}
