//! The spec stage: an OpenAPI 3.0/3.1 or Swagger 2.0 document in, a flat
//! list of [`Endpoint`]s out.

use serde::Serialize;

use crate::method::Method;

/// One operation of the spec: a method on a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub method: Method,
    /// The path template exactly as the spec writes it (`/v1/tools/{tool_id}`),
    /// without the server prefix.
    pub path: String,
    pub operation_id: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub deprecated: bool,
}

/// A loaded spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spec {
    /// `info.title`, when present.
    pub title: Option<String>,
    /// `info.version`, when present.
    pub version: Option<String>,
    /// The `openapi` or `swagger` version string (`3.1.0`, `2.0`).
    pub spec_version: String,
    /// Path part of `servers[0].url` or Swagger's `basePath`, normalised to
    /// start with `/` and not end with one; empty when the API sits at `/`.
    pub base_path: String,
    /// Endpoints sorted by path, then method.
    pub endpoints: Vec<Endpoint>,
}
