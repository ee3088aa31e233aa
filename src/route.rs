//! The router reader's output: route declarations found in the service's
//! source.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::method::Method;

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
    pub file: String,
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
