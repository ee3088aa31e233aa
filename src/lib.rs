//! `cov`: which endpoints of an HTTP API does a Locust suite exercise?
//!
//! A pipeline of small stages, each with a plain data type between it and
//! the next:
//!
//! - [`spec`]: OpenAPI document -> [`spec::Spec`] (endpoints)
//! - [`python`] + [`scanner`]: locustfiles -> [`site::Scan`] (request sites)
//! - [`python`] + [`routes`]: service source -> [`route::Routes`]
//! - [`matcher`] + [`audit`]: endpoints x sites -> [`audit::Audit`]
//! - [`report`]: audit -> table / JSON / markdown / annotations

// Bad input must give an error, never a panic: no unwrap, expect or panic
// outside tests (tests may use them freely).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod audit;
pub mod baseline;
pub mod binary;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diag;
pub mod document;
pub mod exit;
pub mod fetch;
pub mod gate;
pub mod matcher;
pub mod method;
pub mod name;
pub mod prefetch;
pub mod python;
pub mod report;
pub mod route;
pub mod routes;
pub mod run;
pub mod runtime;
pub mod scanner;
pub mod site;
pub mod skip;
pub mod spec;
pub mod stats;
pub mod workflow;
