//! The synthetic service every output is derived from: routers (one per
//! FastAPI file), their resources and operations, and the schemas they use.

use crate::rng::Rng;
use crate::words::{self, camel, singular};

/// Share of the operations each kind of file declares, before the random
/// spread: `main.py`, the admin routers, every other router (1..=19).
const MAIN_WEIGHT: usize = 150;
const ADMIN_WEIGHT: usize = 200;
/// Files per shard: one shard is the 1x service (main + admin + 33 routers).
pub const FILES_PER_SHARD: usize = 35;

pub struct Api {
    pub routers: Vec<Router>,
    pub resources: Vec<Resource>,
    pub ops: Vec<Op>,
}

pub struct Router {
    /// Python module name (`teams`, `admin`, `main`).
    pub module: String,
    /// Path of the file relative to the service root.
    pub file: String,
    /// Variable holding the router (`router`, `admin_router`, `app`).
    pub var: String,
    /// `APIRouter(prefix=...)`; empty for the app itself.
    pub prefix: String,
    pub tag: String,
    /// Prefix given at `include_router` (`/v1`), empty for the app.
    pub mount: String,
    /// Operations of this router, as a range into `Api::ops`.
    pub ops: std::ops::Range<usize>,
}

pub struct Resource {
    /// Unique snake name (`team`, `team_member`), base of schema names.
    pub key: String,
    /// Property count of its schemas.
    pub props: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    List,
    ListSlash,
    Create,
    Get,
    Update,
    Delete,
    Search,
    Toggle,
    Patch,
    Export,
    ByUri,
    Special,
}

pub struct Op {
    pub method: &'static str,
    pub kind: Kind,
    pub router: usize,
    pub resource: usize,
    /// Path as the route declares it, relative to the router prefix,
    /// converters kept (`/{team_id}/members`, `/by-uri/{uri:path}`).
    pub route: String,
    /// Full path as the spec writes it (`/v1/teams/{team_id}/members`).
    pub path: String,
    /// Python function name of the handler.
    pub func: String,
    pub summary: String,
    pub operation_id: String,
    /// Path parameters in order.
    pub params: Vec<String>,
    /// `include_in_schema=False`: served, absent from the spec.
    pub hidden: bool,
}

impl Op {
    pub fn has_body(&self) -> bool {
        matches!(self.method, "POST" | "PUT" | "PATCH")
    }
}

/// Builds a service with `ops` operations spread over `files` files.
pub fn build(rng: &mut Rng, ops: usize, files: usize) -> Api {
    let files = files.max(2);
    // The root app grows with the service, one share per shard as the
    // admin routers do: k shards are k times one shard.
    let shards = files.div_ceil(FILES_PER_SHARD);
    let weights: Vec<usize> = (0..files)
        .map(|i| match i {
            0 => MAIN_WEIGHT * shards,
            i if i % FILES_PER_SHARD == 1 => ADMIN_WEIGHT,
            _ => rng.range(1, 19),
        })
        .collect();
    let total: usize = weights.iter().sum();
    // Integer quotas that add up to `ops` exactly.
    let mut quotas: Vec<usize> = weights.iter().map(|w| ops * w / total).collect();
    let mut short = ops - quotas.iter().sum::<usize>();
    let mut i = 0;
    while short > 0 {
        quotas[i % files] += 1;
        short -= 1;
        i += 1;
    }

    let mut api = Api {
        routers: Vec::new(),
        resources: Vec::new(),
        ops: Vec::new(),
    };
    let mut noun_seq = 0usize;
    let mut router_seq = 0usize;
    let mut admin_seq = 0usize;
    for (index, &quota) in quotas.iter().enumerate() {
        let router = if index == 0 {
            Router {
                module: "main".into(),
                file: "app/main.py".into(),
                var: "app".into(),
                prefix: String::new(),
                tag: "Internal".into(),
                mount: String::new(),
                ops: 0..0,
            }
        } else if index % FILES_PER_SHARD == 1 {
            let module = words::coded("admin", admin_seq);
            admin_seq += 1;
            Router {
                file: format!("app/routers/{module}.py"),
                prefix: format!("/{}", module.replace('_', "-")),
                var: "admin_router".into(),
                tag: "Admin".into(),
                mount: "/v1".into(),
                module,
                ops: 0..0,
            }
        } else {
            let module = words::nth_noun(router_seq);
            router_seq += 1;
            Router {
                file: format!("app/routers/{module}.py"),
                prefix: format!("/{}", module.replace('_', "-")),
                var: "router".into(),
                tag: words::title(&module),
                mount: "/v1".into(),
                module,
                ops: 0..0,
            }
        };
        let start = api.ops.len();
        let r = api.routers.len();
        api.routers.push(router);
        fill_router(&mut api, rng, r, quota, &mut noun_seq);
        api.routers[r].ops = start..api.ops.len();
    }
    api
}

fn fill_router(api: &mut Api, rng: &mut Rng, r: usize, quota: usize, noun_seq: &mut usize) {
    let module = api.routers[r].module.clone();
    let is_main = r == 0;
    let is_admin = api.routers[r].var == "admin_router";
    let mut left = quota;
    if is_main {
        // The fixed root endpoints every service has, plus a hidden one.
        let specials: &[(&str, &str, &str, bool)] = &[
            ("GET", "/health", "health_check", false),
            ("GET", "/ready", "readiness_check", false),
            ("GET", "/metrics/prometheus", "prometheus_metrics", false),
            ("POST", "/rpc", "handle_rpc", false),
            ("POST", "/rpc/", "handle_rpc_slash", false),
            ("GET", "/favicon.ico", "favicon", true),
        ];
        for &(method, path, func, hidden) in specials {
            if left == 0 {
                break;
            }
            push_op(
                api,
                r,
                usize::MAX,
                method,
                Kind::Special,
                path,
                func,
                hidden,
            );
            if !hidden {
                left -= 1;
            }
        }
    }
    let mut j = 0usize;
    // The router's own collection: resource 0 of a plain router.
    let own = singular(&module);
    while left > 0 {
        let noun = words::nth_noun(*noun_seq);
        *noun_seq += 1;
        let one = singular(&noun);
        let (key, _plural, base, parent_param) = if is_main {
            (
                format!("internal_{one}"),
                noun.clone(),
                format!("/_internal/{}", noun.replace('_', "-")),
                None,
            )
        } else if is_admin {
            (
                format!("admin_{one}"),
                noun.clone(),
                format!("/{}", noun.replace('_', "-")),
                None,
            )
        } else if j == 0 {
            (own.clone(), module.clone(), String::new(), None)
        } else {
            let parent = format!("{own}_id");
            (
                format!("{own}_{one}"),
                noun.clone(),
                format!("/{{{parent}}}/{}", noun.replace('_', "-")),
                Some(parent),
            )
        };
        let key_one = if j == 0 && !is_main && !is_admin {
            own.clone()
        } else {
            one.clone()
        };
        let param = format!("{key_one}_id");
        let resource = api.resources.len();
        api.resources.push(Resource {
            key: key.clone(),
            props: rng.range(3, 11),
        });
        let mut kinds = vec![Kind::List];
        if j == 0 && !is_main && rng.chance(60) {
            kinds.push(Kind::ListSlash);
        }
        kinds.extend([
            Kind::Create,
            Kind::Get,
            Kind::Update,
            Kind::Delete,
            Kind::Search,
            Kind::Toggle,
        ]);
        if rng.chance(50) {
            kinds.push(Kind::Patch);
        }
        if rng.chance(25) {
            kinds.push(Kind::Export);
        }
        if j == 0 && rng.chance(30) {
            kinds.push(Kind::ByUri);
        }
        let _ = parent_param;
        for kind in kinds {
            if left == 0 {
                break;
            }
            let (method, suffix, verb) = match kind {
                Kind::List => ("GET", String::new(), "list"),
                Kind::ListSlash => ("GET", "/".to_string(), "list"),
                Kind::Create => ("POST", String::new(), "create"),
                Kind::Get => ("GET", format!("/{{{param}}}"), "get"),
                Kind::Update => ("PUT", format!("/{{{param}}}"), "update"),
                Kind::Delete => ("DELETE", format!("/{{{param}}}"), "delete"),
                Kind::Search => ("GET", "/search".to_string(), "search"),
                Kind::Toggle => ("POST", format!("/{{{param}}}/toggle"), "toggle"),
                Kind::Patch => ("PATCH", format!("/{{{param}}}"), "patch"),
                Kind::Export => ("GET", format!("/{{{param}}}/export.{{format}}"), "export"),
                Kind::ByUri => ("GET", "/by-uri/{uri:path}".to_string(), "get_by_uri"),
                Kind::Special => unreachable!(),
            };
            let route = format!("{base}{suffix}");
            let func = match kind {
                Kind::List | Kind::ListSlash | Kind::Search => format!("{verb}_{key}s"),
                _ => format!("{verb}_{key}"),
            };
            push_op(api, r, resource, method, kind, &route, &func, false);
            if kind == Kind::ListSlash {
                // Stacked on the list handler: same function.
                if let Some(prev) = api.ops.len().checked_sub(2) {
                    let f = api.ops[prev].func.clone();
                    let last = api.ops.len() - 1;
                    api.ops[last].func = f;
                }
            }
            left -= 1;
        }
        j += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn push_op(
    api: &mut Api,
    r: usize,
    resource: usize,
    method: &'static str,
    kind: Kind,
    route: &str,
    func: &str,
    hidden: bool,
) {
    let router = &api.routers[r];
    let spec_route = strip_converters(route);
    let path = format!("{}{}{}", router.mount, router.prefix, spec_route);
    let params: Vec<String> = spec_route
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(str::to_string)
        .collect();
    let path_id: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let operation_id = format!("{func}{path_id}_{}", method.to_ascii_lowercase());
    let summary = words::title(func);
    api.ops.push(Op {
        method,
        kind,
        router: r,
        resource,
        route: route.to_string(),
        path,
        func: func.to_string(),
        summary,
        operation_id,
        params,
        hidden,
    });
}

/// `/by-uri/{uri:path}` -> `/by-uri/{uri}`.
pub fn strip_converters(route: &str) -> String {
    let mut out = String::with_capacity(route.len());
    let mut in_param = false;
    let mut skipping = false;
    for c in route.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push(c);
            }
            '}' => {
                in_param = false;
                skipping = false;
                out.push(c);
            }
            ':' if in_param => skipping = true,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// Schema names of a resource.
pub fn schema_names(res: &Resource) -> [String; 3] {
    let c = camel(&res.key);
    [
        format!("{c}Create"),
        format!("{c}Update"),
        format!("{c}Read"),
    ]
}
