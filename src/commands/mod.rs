//! One module per subcommand: each reads its inputs through the stages and
//! prints a report.

pub mod audit;
pub mod calls;
pub mod endpoints;
pub mod routes;
