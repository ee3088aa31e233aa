//! HTTP methods, the one vocabulary every stage shares.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// The eight methods an OpenAPI path item can hold, in the order the
/// specification lists them. `Ord` follows this order, so sorting by method
/// is stable and meaningful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method, in specification order.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// Upper-case name, as printed in reports (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Parses a method name in any case (`get`, `GET`, `Get`).
    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Method {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::parse(s).ok_or_else(|| format!("unknown HTTP method `{s}`"))
    }
}

impl Serialize for Method {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_any_case_and_rejects_unknown() {
        assert_eq!(Method::parse("get"), Some(Method::Get));
        assert_eq!(Method::parse("PATCH"), Some(Method::Patch));
        assert_eq!(Method::parse("Trace"), Some(Method::Trace));
        assert_eq!(Method::parse("connect"), None);
        assert_eq!(Method::parse(""), None);
    }

    #[test]
    fn orders_like_the_specification() {
        let mut v = vec![Method::Trace, Method::Get, Method::Delete, Method::Post];
        v.sort();
        assert_eq!(
            v,
            [Method::Get, Method::Post, Method::Delete, Method::Trace]
        );
    }
}
