//! The single integration-test binary: one module per feature, each running
//! the built `cov` binary through [`support::Test`].

mod support;

mod audit;
mod calls;
mod cli;
mod config;
mod document;
mod faults;
mod fetch;
mod gate;
mod hostile;
mod props;
mod routes;
mod runtime;
mod secrets;
mod spec;
