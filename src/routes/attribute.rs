//! Attribution: which declaration declares each spec endpoint.
//!
//! Three tiers, each tried only when the one before found nothing:
//!
//! 1. a declaration whose full path is known and has the endpoint's shape
//!    (with or without the spec's base path), same method;
//! 2. a declaration whose prefix is unknown, by the longest known suffix:
//!    the spec path ends with it, same method;
//! 3. a declaration whose full path is known but mounted where the spec
//!    does not say, by the same longest-suffix rule (a suffix of at least
//!    one segment).
//!
//! Shapes compare parameters by position and drop converters, so the
//! source's `{uri:path}` is the spec's `{uri}`; a trailing slash counts
//! (`/teams` and `/teams/` are two endpoints). Hidden declarations
//! (`include_in_schema=False`) are not in the spec and never attributed.
//! When several declarations share the endpoint's shape (templates that
//! differ only in parameter names), the one whose parameter names are the
//! endpoint's wins; other ties go to the first declaration in file and line
//! order.

use std::collections::HashMap;

use crate::audit::Declaration;
use crate::method::Method;
use crate::route::{RouteKnowledge, Routes};
use crate::spec::Spec;

use super::template::{boundary_suffixes, params, shape};

/// For each spec endpoint, the index in `routes.decls` of its declaration.
pub fn attribute_indices(routes: &Routes, spec: &Spec) -> Vec<Option<usize>> {
    // Keyed by method, then shape, so that lookups borrow the shape.
    let mut exact: HashMap<Method, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut unknown: HashMap<Method, HashMap<String, usize>> = HashMap::new();
    let mut known: HashMap<Method, HashMap<String, usize>> = HashMap::new();
    for (i, decl) in routes.decls.iter().enumerate() {
        if decl.hidden {
            continue;
        }
        let key = shape(&decl.path);
        if decl.prefix_known {
            exact
                .entry(decl.method)
                .or_default()
                .entry(key.clone())
                .or_default()
                .push(i);
            known
                .entry(decl.method)
                .or_default()
                .entry(key)
                .or_insert(i);
        } else {
            unknown
                .entry(decl.method)
                .or_default()
                .entry(key)
                .or_insert(i);
        }
    }
    let base = spec.base_path.trim_end_matches('/');
    spec.endpoints
        .iter()
        .map(|endpoint| {
            let spec_shape = shape(&endpoint.path);
            let exact = exact.get(&endpoint.method);
            let direct = exact.and_then(|m| m.get(spec_shape.as_str()));
            let with_base = || {
                (!base.is_empty())
                    .then(|| exact.and_then(|m| m.get(&format!("{base}{spec_shape}"))))
                    .flatten()
            };
            if let Some(candidates) = direct.or_else(with_base) {
                let names = param_names(&endpoint.path);
                let same_names = candidates.iter().find(|&&i| {
                    routes
                        .decls
                        .get(i)
                        .is_some_and(|d| param_names(&d.path) == names)
                });
                if let Some(&i) = same_names.or(candidates.first()) {
                    return Some(i);
                }
            }
            let by_suffix = |tier: &HashMap<Method, HashMap<String, usize>>, min_len: usize| {
                let tier = tier.get(&endpoint.method)?;
                boundary_suffixes(&spec_shape)
                    .filter(|suffix| suffix.len() >= min_len)
                    .find_map(|suffix| tier.get(suffix).copied())
            };
            // A full path that is known but elsewhere must share at least a
            // segment; an unknown prefix may leave only `/` known.
            by_suffix(&unknown, 0).or_else(|| by_suffix(&known, 2))
        })
        .collect()
}

/// A template's parameter names in order, converters dropped.
fn param_names(path: &str) -> Vec<&str> {
    params(path).into_iter().map(|p| p.name).collect()
}

/// What the matcher and the audit need to know about `spec` from the
/// routes: each endpoint's declaration, its catch-all parameters, and the
/// hidden routes.
pub fn attribute(routes: &Routes, spec: &Spec) -> RouteKnowledge {
    let indices = attribute_indices(routes, spec);
    let mut declared = Vec::with_capacity(indices.len());
    let mut catch_all = Vec::with_capacity(indices.len());
    for (endpoint, index) in spec.endpoints.iter().zip(&indices) {
        let decl = index.and_then(|i| routes.decls.get(i));
        declared.push(decl.map(|d| Declaration {
            file: d.file.clone(),
            line: d.line,
        }));
        catch_all.push(decl.map_or_else(Vec::new, |d| catch_all_names(&d.path, &endpoint.path)));
    }
    RouteKnowledge {
        declared,
        catch_all,
        hidden: routes.decls.iter().filter(|d| d.hidden).cloned().collect(),
    }
}

/// The spec's names of the parameters the declaration takes with the
/// `:path` converter, lined up from the end (a known suffix holds the last
/// parameters).
fn catch_all_names(decl_path: &str, spec_path: &str) -> Vec<String> {
    let declared = params(decl_path);
    let in_spec = params(spec_path);
    let Some(skip) = in_spec.len().checked_sub(declared.len()) else {
        return Vec::new();
    };
    declared
        .iter()
        .zip(in_spec.iter().skip(skip))
        .filter(|(d, _)| d.catch_all)
        .map(|(_, s)| s.name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::RouteDecl;
    use crate::spec::Endpoint;

    fn decl(method: Method, path: &str, known: bool, line: u32, hidden: bool) -> RouteDecl {
        RouteDecl {
            method,
            path: path.to_string(),
            prefix_known: known,
            file: "app/x.py".to_string(),
            line,
            router: "router".to_string(),
            hidden,
        }
    }

    fn spec(base: &str, endpoints: &[(Method, &str)]) -> Spec {
        Spec {
            title: None,
            version: None,
            spec_version: "3.1.0".to_string(),
            base_path: base.to_string(),
            endpoints: endpoints
                .iter()
                .map(|&(method, path)| Endpoint {
                    method,
                    path: path.to_string(),
                    operation_id: None,
                    tags: Vec::new(),
                    summary: None,
                    deprecated: false,
                })
                .collect(),
        }
    }

    fn lines(routes: &Routes, spec: &Spec) -> Vec<Option<u32>> {
        attribute(routes, spec)
            .declared
            .into_iter()
            .map(|d| d.map(|d| d.line))
            .collect()
    }

    #[test]
    fn exact_paths_with_parameters_by_position() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/v1/teams/{id}", true, 1, false),
                decl(Method::Delete, "/v1/teams/{id}", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/teams/{team_id}"),
                (Method::Put, "/v1/teams/{team_id}"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(1), None]);
    }

    #[test]
    fn name_twins_each_get_the_declaration_with_their_parameter_names() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/v1/legacy/{id}", true, 1, false),
                decl(Method::Get, "/v1/legacy/{legacy_id:int}", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/legacy/{legacy_id}"),
                (Method::Get, "/v1/legacy/{id}"),
                (Method::Get, "/v1/legacy/{other}"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(2), Some(1), Some(1)]);
    }

    #[test]
    fn slash_twins_each_get_their_own_declaration() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/teams", false, 10, false),
                decl(Method::Get, "/teams/", false, 11, false),
                decl(Method::Get, "/v1/tools", true, 20, false),
                decl(Method::Get, "/v1/tools/", true, 21, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/teams"),
                (Method::Get, "/v1/teams/"),
                (Method::Get, "/v1/tools"),
                (Method::Get, "/v1/tools/"),
            ],
        );
        assert_eq!(
            lines(&routes, &spec),
            [Some(10), Some(11), Some(20), Some(21)]
        );
    }

    #[test]
    fn unknown_prefixes_match_the_longest_known_suffix_of_the_same_method() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/{name}", false, 1, false),
                decl(Method::Get, "/plugins/{name}", false, 2, false),
                decl(Method::Post, "/plugins/{name}/enable", false, 3, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/api/plugins/{plugin}"),
                (Method::Get, "/api/other/{x}"),
                (Method::Post, "/api/plugins/{plugin}/enable"),
                (Method::Get, "/api/plugins/{plugin}/enable"),
            ],
        );
        assert_eq!(lines(&routes, &spec), [Some(2), Some(1), Some(3), None]);
    }

    #[test]
    fn hidden_routes_are_known_but_never_attributed() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/favicon.ico", true, 1, true),
                decl(Method::Get, "/teams", true, 2, true),
                decl(Method::Get, "/v1/teams", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[(Method::Get, "/favicon.ico"), (Method::Get, "/v1/teams")],
        );
        let knowledge = attribute(&routes, &spec);
        assert_eq!(knowledge.declared[0], None);
        assert_eq!(knowledge.declared[1].as_ref().map(|d| d.line), Some(2));
        assert_eq!(knowledge.hidden.len(), 2);
    }

    #[test]
    fn base_path_and_mounts_the_source_does_not_show() {
        let routes = Routes {
            decls: vec![
                decl(Method::Get, "/api/items", true, 1, false),
                decl(Method::Get, "/things", true, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "/api",
            &[(Method::Get, "/items"), (Method::Get, "/v2/things")],
        );
        assert_eq!(lines(&routes, &spec), [Some(1), Some(2)]);
    }

    #[test]
    fn path_converters_become_catch_all_parameters() {
        let routes = Routes {
            decls: vec![
                decl(
                    Method::Get,
                    "/v1/resources/{resource_uri:path}",
                    true,
                    1,
                    false,
                ),
                decl(Method::Get, "/{root:path}/children/{n}", false, 2, false),
            ],
            warnings: vec![],
        };
        let spec = spec(
            "",
            &[
                (Method::Get, "/v1/resources/{resource_uri}"),
                (Method::Get, "/v1/{tenant}/{root_uri}/children/{n}"),
            ],
        );
        let knowledge = attribute(&routes, &spec);
        assert_eq!(
            knowledge.catch_all,
            [
                vec!["resource_uri".to_string()],
                vec!["root_uri".to_string()]
            ]
        );
    }
}
