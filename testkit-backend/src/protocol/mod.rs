//! Testkit's backend protocol: framing, requests, answers and values.

pub(crate) mod framing;
pub(crate) mod requests;
pub(crate) mod responses;
pub(crate) mod values;
