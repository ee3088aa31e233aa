//! Report writers: the audit model rendered as a table for people, as
//! JSON for machines, as the Markdown tracking document, or as GitHub
//! Actions annotations. Every writer takes a `W: io::Write`.

pub mod github;
pub mod json;
pub mod markdown;
pub mod runtime;
pub mod table;

use crate::audit::Status;

/// Percent for display: rounded down to one decimal, so 99.96 shows as
/// 99.9 and never as a 100 the gate would not grant.
pub fn percent_value(percent: f64) -> f64 {
    if !percent.is_finite() {
        return 0.0;
    }
    (percent * 10.0 + 1e-9).floor() / 10.0
}

/// `66.6%`.
pub fn percent_text(percent: f64) -> String {
    format!("{:.1}%", percent_value(percent))
}

/// How a status is written in reports.
pub fn status_text(status: Status) -> &'static str {
    match status {
        Status::Covered => "covered",
        Status::SetupOnly => "setup-only",
        Status::Skipped => "skipped",
        Status::Missing => "missing",
    }
}

#[cfg(test)]
mod writers;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_round_down() {
        assert_eq!(percent_text(100.0), "100.0%");
        assert_eq!(percent_text(99.96), "99.9%");
        assert_eq!(percent_text(100.0 / 3.0), "33.3%");
        assert_eq!(percent_text(200.0 / 3.0), "66.6%");
        assert_eq!(percent_text(0.0), "0.0%");
        assert_eq!(percent_text(57.3), "57.3%");
        assert_eq!(percent_text(f64::NAN), "0.0%");
    }
}
