//! The audit model: spec endpoints joined with request sites. Every report
//! format (table, JSON, markdown, annotations) is written from this one
//! model.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::method::Method;
use crate::name::{Name, Names};
use crate::site::ReachKind;

/// Static coverage status of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reached from a task of a concrete user.
    Covered,
    /// Reached only from `on_start`/`on_stop`.
    SetupOnly,
    /// Excluded by a skip rule.
    Skipped,
    /// No load test reaches it.
    Missing,
}

/// How an endpoint's group was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// The source file that declares the endpoint.
    File,
    /// The endpoint's first tag.
    Tag,
    /// The endpoint's first path segment.
    Segment,
}

/// A user task (or hook) that sends a request matching an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Coverer {
    pub user: Name,
    pub task: Name,
    pub kind: ReachKind,
    /// The request site (locustfile and line).
    pub file: Name,
    pub line: u32,
    /// The site's URL template as the scanner resolved it.
    pub url: Name,
}

/// Why and until when an endpoint is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkipInfo {
    pub reason: String,
    pub link: Option<String>,
    pub until: Option<String>,
}

/// Where the service's source declares an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Declaration {
    pub file: Name,
    pub line: u32,
}

/// One spec endpoint with its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointReport {
    pub method: Method,
    pub path: Name,
    pub group: Name,
    pub group_kind: GroupKind,
    pub status: Status,
    pub operation_id: Option<Name>,
    pub tags: Names,
    /// Sorted.
    pub covered_by: Vec<Coverer>,
    /// Remarks such as a trailing-slash redirect.
    pub notes: Vec<String>,
    /// Boxed: most endpoints have none, and the report stays small.
    pub skip: Option<Box<SkipInfo>>,
    pub declared_at: Option<Declaration>,
    /// Runtime figures from Locust's statistics; absent without `--stats`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Box<Runtime>>,
    /// Runtime status; absent without `--stats`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_status: Option<RuntimeStatus>,
}

/// Runtime status of one endpoint, from Locust's statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeStatus {
    /// Requests were recorded and the failure rate is within bounds.
    Exercised,
    /// A task covers it statically, but no request was recorded.
    DeclaredNotRun,
    /// Failure rate above `--max-failure-rate`.
    Failing,
    /// Neither declared nor run.
    NotRun,
}

/// Runtime figures for one endpoint (zeros when given stats but not run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Runtime {
    pub requests: u64,
    pub failures: u64,
    pub failure_rate: f64,
    pub median_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

/// A stats row that could not be joined to an endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnattributedStat {
    pub method: String,
    pub name: String,
    pub requests: u64,
    pub failures: u64,
    pub reason: String,
}

/// A request that matches no endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnmatchedCall {
    pub file: String,
    pub line: u32,
    pub method: Method,
    pub url: String,
    /// `no such path`, `wrong method (allowed: GET, POST)`, `hidden route (not in the spec)`.
    pub reason: String,
}

/// A request whose method or URL could not be resolved statically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnresolvedCall {
    pub file: String,
    pub line: u32,
    pub method: Option<Method>,
    pub reason: String,
}

/// Totals over a set of endpoints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Totals {
    pub total: usize,
    pub covered: usize,
    pub setup_only: usize,
    pub skipped: usize,
    pub missing: usize,
    /// `covered / (total - skipped) * 100`, 100 when nothing is countable.
    pub percent: f64,
}

/// Totals for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    pub group_kind: GroupKind,
    #[serde(flatten)]
    pub totals: Totals,
}

/// The whole audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    pub spec_title: Option<String>,
    pub spec_version: Option<String>,
    pub summary: Totals,
    /// Sorted by group name.
    pub groups: Vec<GroupSummary>,
    /// Sorted by path, then method.
    pub endpoints: Vec<EndpointReport>,
    /// Sorted by file, line.
    pub unmatched: Vec<UnmatchedCall>,
    /// Sorted by file, line.
    pub unresolved: Vec<UnresolvedCall>,
    /// Sorted by file, line.
    pub warnings: Vec<Diagnostic>,
    /// Stats rows joined to no endpoint; absent without `--stats`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unattributed_stats: Option<Vec<UnattributedStat>>,
}

mod build;

pub use build::{build, AuditOptions};
pub(crate) use build::{catch_all_names, hidden_index};
