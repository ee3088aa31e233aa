//! Report writers: each renders an [`crate::audit::Audit`] into a `W: io::Write`.

pub mod github;
pub mod markdown;
