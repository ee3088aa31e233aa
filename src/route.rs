//! The router reader's output: route declarations found in the service's
//! source.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::method::Method;
use crate::name::Name;

/// One route a FastAPI-style source declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteDecl {
    pub method: Method,
    /// Full path when `prefix_known`, else the part that is known (the
    /// router prefix plus the route's own path). Converters kept as written
    /// (`{uri:path}`).
    pub path: String,
    /// Whether every prefix on the way to the app was read statically.
    pub prefix_known: bool,
    /// File that declares the route, relative to the working directory.
    pub file: Name,
    pub line: u32,
    /// Variable of the router (`router`, `app`, `admin_router`).
    pub router: String,
    /// `include_in_schema=False`: served, but not in the spec.
    pub hidden: bool,
}

/// Everything the router reader produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Routes {
    /// Sorted by file, line, then method.
    pub decls: Vec<RouteDecl>,
    pub warnings: Vec<Diagnostic>,
}

/// What the router reader tells the matcher and the audit about one spec.
/// Every `Vec` indexed by endpoint has the length of `Spec::endpoints` and
/// the same order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RouteKnowledge {
    /// Per spec endpoint: the declaration it was attributed to.
    pub declared: Vec<Option<crate::audit::Declaration>>,
    /// Per spec endpoint: names of path parameters the source declares with
    /// the `:path` converter (they take one or more segments).
    pub catch_all: Vec<Vec<String>>,
    /// Routes served but hidden from the spec (`include_in_schema=False`).
    pub hidden: Vec<RouteDecl>,
}
