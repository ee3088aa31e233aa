//! The scanner's output: request sites found in locustfiles, and the users
//! that reach them.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::method::Method;
use crate::name::Name;

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Client {
    /// Locust's own client (`self.client`): load, and coverage.
    Locust,
    /// `requests`, `httpx`, `urllib`, a session: setup traffic, not coverage.
    Other,
}

/// How a user reaches a request site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReachKind {
    Task,
    OnStart,
    OnStop,
}

/// One concrete user class reaching a site through one task (or hook).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Reach {
    /// Class name of the concrete User.
    pub user: Name,
    /// File that declares that User (class names repeat across files).
    pub user_file: Name,
    /// Task method name (`on_start`/`on_stop` for hooks).
    pub task: Name,
    pub kind: ReachKind,
}

/// One request the suite sends, resolved to a method and a path template.
/// A call site that yields several URLs (a loop, `random.choice`) gives one
/// `RequestSite` per URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestSite {
    pub file: Name,
    /// 1-based line of the call.
    pub line: u32,
    /// 1-based column of the call.
    pub column: u32,
    /// `None` when the method is not known statically.
    pub method: Option<Method>,
    /// Path template, dynamic pieces as `{placeholder}`; `None` when unresolved.
    pub url: Option<Name>,
    /// Query string (without `?`) and fragment, kept for display.
    pub query: Option<String>,
    /// The `name=` label, when given (after resolution).
    pub name: Option<String>,
    pub client: Client,
    pub resolved: bool,
    /// Why it is unresolved; `None` when resolved.
    pub reason: Option<String>,
    /// Sorted; empty means dead code (no user reaches it).
    pub reached_from: Vec<Reach>,
}

/// A User class as the scanner saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserClass {
    pub name: String,
    pub file: String,
    pub line: u32,
    /// `weight = <int>` when an integer literal; `None` when absent or dynamic.
    pub weight: Option<i64>,
    /// False for abstract classes, `LoadTestShape`s and non-users.
    pub concrete: bool,
}

/// Everything the scanner produces for a set of locustfiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scan {
    /// Sorted by file, line, column, then url.
    pub sites: Vec<RequestSite>,
    pub users: Vec<UserClass>,
    pub warnings: Vec<Diagnostic>,
}
