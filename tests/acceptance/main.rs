//! The acceptance tests: the driver, its macros and the schema export, each
//! over real TCP against an embedded server of its own (see the `neo_tests`
//! support library). One binary, so one link for all of them.

mod auth;
mod borrowed_rows;
mod causal;
mod chrono;
mod clock;
mod conformance;
mod connections;
mod derive;
mod driver_config;
mod error_messages;
mod execute_query;
mod faults;
mod graph_rows;
mod home_database;
mod nothing_lost;
mod notifications;
mod official_habits;
mod prefetch;
mod queries;
mod resolution;
mod result_api;
mod routing;
mod routing_tables;
mod row_decoding;
mod schema_export;
mod session_api;
mod testing;
mod tls;
mod type_integrations;
mod vectors;
mod wire;
mod zones;
