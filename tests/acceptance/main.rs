//! The acceptance tests: the driver, its macros and the schema export, each
//! over real TCP against an embedded server of its own (see the `neo_tests`
//! support library). One binary, so one link for all of them.

mod auth;
mod causal;
mod chrono;
mod conformance;
mod connections;
mod derive;
mod driver_config;
mod execute_query;
mod faults;
mod home_database;
mod nothing_lost;
mod notifications;
mod prefetch;
mod queries;
mod result_api;
mod routing;
mod row_decoding;
mod schema_export;
mod session_api;
mod tls;
mod vectors;
mod wire;
