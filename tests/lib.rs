//! The single integration-test binary: one module per feature, each running
//! the built `cov` binary through [`support::Test`].

mod support;

mod cli;
mod routes;
