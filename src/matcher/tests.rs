//! Table tests for the index: one table per rule, each a set of routes and
//! the outcome every call must get.

use super::*;

use Method::{Delete, Get, Head, Post};

/// Routes, options, and `(method, url, expected)` rows. Expected outcomes
/// are written as text: `GET /x` (matched), `GET /x [redirect]`,
/// `GET /v1/x [alias /v1]`, `wrong: GET, POST`, `none`,
/// `none (slash twin GET /x)`, `ambiguous: GET /a | GET /b`.
#[derive(Default)]
struct MatchTest<'a> {
    routes: &'a [(Method, &'a str)],
    base: &'a str,
    aliases: &'a [&'a str],
    strict: bool,
    catch_all: &'a [(&'a str, &'a str)],
    calls: &'a [(Method, &'a str, &'a str)],
}

impl MatchTest<'_> {
    fn index(&self) -> Index {
        let aliases: Vec<String> = self.aliases.iter().map(|s| s.to_string()).collect();
        let catch_all: Vec<Vec<String>> = self
            .routes
            .iter()
            .map(|(_, path)| {
                self.catch_all
                    .iter()
                    .filter(|(p, _)| p == path)
                    .map(|(_, name)| name.to_string())
                    .collect()
            })
            .collect();
        let opts = MatchOptions {
            aliases: &aliases,
            strict_slashes: self.strict,
            catch_all: &catch_all,
        };
        Index::from_templates(self.base, self.routes.iter().copied(), &opts)
    }

    fn render(&self, index: &Index, lookup: &Lookup) -> String {
        let show = |e: usize| {
            let (m, p) = self.routes[e];
            format!("{m} {p}")
        };
        match lookup {
            Lookup::Matched { endpoint, notes } => {
                let mut s = show(*endpoint);
                if notes.redirect {
                    s.push_str(" [redirect]");
                }
                if let Some(a) = notes.alias {
                    s.push_str(&format!(" [alias {}]", index.alias(a)));
                }
                s
            }
            Lookup::WrongMethod { allowed } => {
                let names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                format!("wrong: {}", names.join(", "))
            }
            Lookup::NoPath { slash_twin: None } => "none".into(),
            Lookup::NoPath {
                slash_twin: Some(e),
            } => format!("none (slash twin {})", show(*e)),
            Lookup::Ambiguous { candidates } => {
                let all: Vec<String> = candidates.iter().map(|&e| show(e)).collect();
                format!("ambiguous: {}", all.join(" | "))
            }
        }
    }

    #[track_caller]
    fn run(self) {
        let index = self.index();
        let mut failures = Vec::new();
        for &(method, url, want) in self.calls {
            let got = self.render(&index, &index.lookup(method, url));
            if got != want {
                failures.push(format!("{method} {url}: expected `{want}`, got `{got}`"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}

#[test]
fn concrete_beats_templated() {
    MatchTest {
        routes: &[
            (Get, "/tools/search"),
            (Get, "/tools/{tool_id}"),
            (Get, "/users/me"),
            (Get, "/users/{id}"),
            (Get, "/users/{id}/roles"),
        ],
        calls: &[
            (Get, "/tools/search", "GET /tools/search"),
            (Get, "/tools/abc", "GET /tools/{tool_id}"),
            (Get, "/users/me", "GET /users/me"),
            (Get, "/users/42", "GET /users/{id}"),
            // `me` as a value for `{id}` when the static branch dead-ends.
            (Get, "/users/me/roles", "GET /users/{id}/roles"),
            (
                Get,
                "/users/admin@example.com/roles",
                "GET /users/{id}/roles",
            ),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn specificity_is_decided_from_the_left() {
    MatchTest {
        routes: &[
            (Get, "/a/{x}/{z}"),
            (Get, "/{y}/b/c"),
            (Get, "/a/b/c2"),
            (Get, "/{y}/b/x"),
        ],
        calls: &[
            // Both templates fit; the one concrete in the first segment wins.
            (Get, "/a/b/c", "GET /a/{x}/{z}"),
            (Get, "/q/b/c", "GET /{y}/b/c"),
            (Get, "/a/b/c2", "GET /a/b/c2"),
            (Get, "/a/b/x", "GET /a/{x}/{z}"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn backtracks_when_the_concrete_branch_dead_ends() {
    MatchTest {
        routes: &[(Get, "/a/b/c"), (Get, "/{y}/b/x")],
        calls: &[
            (Get, "/a/b/x", "GET /{y}/b/x"),
            (Get, "/a/b/c", "GET /a/b/c"),
            (Get, "/a/b", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn a_dynamic_call_segment_fits_only_templates() {
    MatchTest {
        routes: &[
            (Get, "/tools/search"),
            (Get, "/tools/{tool_id}"),
            (Get, "/only/static"),
        ],
        calls: &[
            (Get, "/tools/{tid}", "GET /tools/{tool_id}"),
            (Get, "/tools/{self.tool['id']}", "GET /tools/{tool_id}"),
            (Get, "/only/{x}", "none"),
            (Get, "/{what}/search", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn a_partly_dynamic_call_segment_fits_templates() {
    MatchTest {
        routes: &[
            (Get, "/items/{item_id}"),
            (Get, "/items/item-{n}/x"),
            (Get, "/static/item-1"),
        ],
        calls: &[
            (Get, "/items/item-{id}", "GET /items/{item_id}"),
            (Get, "/items/item-{id}/x", "GET /items/item-{n}/x"),
            (Get, "/items/it-{id}/x", "none"),
            (Get, "/static/item-{i}", "none"),
            (Get, "/static/item-1", "GET /static/item-1"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn templates_inside_a_segment() {
    MatchTest {
        routes: &[
            (Get, "/files/{name}.json"),
            (Get, "/files/{file_id}"),
            (Get, "/report.{format}"),
            (Get, "/pairs/{a}-{b}"),
            (Get, "/pairs/{a}.{b}"),
            (Get, "/v/{name}.tar.gz"),
            (Get, "/v/{name}.gz"),
        ],
        calls: &[
            (Get, "/files/data.json", "GET /files/{name}.json"),
            (Get, "/files/{stem}.json", "GET /files/{name}.json"),
            (Get, "/files/data.yaml", "GET /files/{file_id}"),
            // A whole placeholder cannot supply `.json`: the plain parameter.
            (Get, "/files/{fname}", "GET /files/{file_id}"),
            (Get, "/report.csv", "GET /report.{format}"),
            (Get, "/report.{fmt}", "GET /report.{format}"),
            (Get, "/report", "none"),
            (Get, "/pairs/x-y", "GET /pairs/{a}-{b}"),
            (Get, "/pairs/{x}-{y}", "GET /pairs/{a}-{b}"),
            (Get, "/pairs/x.y", "GET /pairs/{a}.{b}"),
            (
                Get,
                "/pairs/x.y-z",
                "ambiguous: GET /pairs/{a}-{b} | GET /pairs/{a}.{b}",
            ),
            // More literal text is more specific.
            (Get, "/v/pkg.tar.gz", "GET /v/{name}.tar.gz"),
            (Get, "/v/pkg.gz", "GET /v/{name}.gz"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn catch_all_parameters_take_whole_segments() {
    MatchTest {
        routes: &[
            (Get, "/admin/resources/{resource_uri}"),
            (Get, "/admin/resources/{resource_uri}/info"),
            (Get, "/roots/{root_uri:path}"),
            (Get, "/plain/{id}"),
        ],
        catch_all: &[
            ("/admin/resources/{resource_uri}", "resource_uri"),
            ("/admin/resources/{resource_uri}/info", "resource_uri"),
        ],
        calls: &[
            (
                Get,
                "/admin/resources/test/test://sample",
                "GET /admin/resources/{resource_uri}",
            ),
            (
                Get,
                "/admin/resources/x",
                "GET /admin/resources/{resource_uri}",
            ),
            (
                Get,
                "/admin/resources/{uri}",
                "GET /admin/resources/{resource_uri}",
            ),
            (
                Get,
                "/admin/resources/a/b/info",
                "GET /admin/resources/{resource_uri}/info",
            ),
            // The trailing slash is part of the catch-all's value.
            (
                Get,
                "/admin/resources/a/",
                "GET /admin/resources/{resource_uri}",
            ),
            (Get, "/roots/file:///tmp/x", "GET /roots/{root_uri:path}"),
            // An empty value after the final slash, as the service allows.
            (Get, "/roots/", "GET /roots/{root_uri:path}"),
            // The service redirects to `/roots/`, as for any slash twin.
            (Get, "/roots", "GET /roots/{root_uri:path} [redirect]"),
            (
                Get,
                "/admin/resources",
                "GET /admin/resources/{resource_uri} [redirect]",
            ),
            (Get, "/plain/a/b", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn trailing_slashes() {
    MatchTest {
        routes: &[
            (Get, "/teams/"),
            (Get, "/tools"),
            (Get, "/both"),
            (Get, "/both/"),
            (Get, "/"),
        ],
        calls: &[
            (Get, "/teams/", "GET /teams/"),
            (Get, "/teams", "GET /teams/ [redirect]"),
            (Get, "/tools/", "GET /tools [redirect]"),
            (Get, "/both", "GET /both"),
            (Get, "/both/", "GET /both/"),
            (Get, "/", "GET /"),
            (Get, "", "GET /"),
            (Post, "/tools/", "wrong: GET"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn strict_slashes_turn_redirects_into_no_match() {
    MatchTest {
        routes: &[(Get, "/teams/"), (Get, "/tools")],
        strict: true,
        calls: &[
            (Get, "/teams/", "GET /teams/"),
            (Get, "/teams", "none (slash twin GET /teams/)"),
            (Get, "/tools/", "none (slash twin GET /tools)"),
            (Post, "/tools/", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn the_base_path_applies_and_may_be_left_out() {
    MatchTest {
        routes: &[(Get, "/pets"), (Get, "/pets/{id}"), (Get, "/")],
        base: "/api/v2",
        calls: &[
            (Get, "/api/v2/pets", "GET /pets"),
            (Get, "/api/v2/pets/{pid}", "GET /pets/{id}"),
            (Get, "/pets", "GET /pets"),
            (Get, "/api/v2", "GET /"),
            (Get, "/api/v2/", "GET /"),
            (Get, "/api/pets", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn aliases_serve_prefixed_paths_at_the_root() {
    MatchTest {
        routes: &[
            (Get, "/v1/tools"),
            (Post, "/v1/tools"),
            (Get, "/v1/tools/{id}"),
            (Get, "/health"),
            (Get, "/v1/health"),
            (Get, "/v1/teams/"),
        ],
        aliases: &["/v1/", "v1"],
        calls: &[
            (Get, "/tools", "GET /v1/tools [alias /v1]"),
            (Post, "/tools", "POST /v1/tools [alias /v1]"),
            (Get, "/tools/{tid}", "GET /v1/tools/{id} [alias /v1]"),
            (Get, "/v1/tools", "GET /v1/tools"),
            // Something at `/health` exists: the alias is not needed.
            (Get, "/health", "GET /health"),
            (Get, "/teams", "GET /v1/teams/ [redirect] [alias /v1]"),
            (Delete, "/tools", "wrong: GET, POST"),
            (Get, "/nothing", "none"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn query_strings_and_fragments_never_take_part() {
    MatchTest {
        routes: &[(Get, "/tools/search"), (Get, "/oauth/callback")],
        calls: &[
            (Get, "/tools/search?q=test", "GET /tools/search"),
            (Get, "/tools/search#x", "GET /tools/search"),
            (
                Get,
                "/oauth/callback?code={c}&state={s}",
                "GET /oauth/callback",
            ),
            (
                Get,
                "http://localhost:4444/tools/search?q=1",
                "GET /tools/search",
            ),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn methods_must_agree() {
    MatchTest {
        routes: &[
            (Get, "/tools"),
            (Post, "/tools"),
            (Post, "/tools/search"),
            (Get, "/tools/{id}"),
        ],
        calls: &[
            (Delete, "/tools", "wrong: GET, POST"),
            (Head, "/tools", "wrong: GET, POST"),
            // The most specific path that has the method.
            (Get, "/tools/search", "GET /tools/{id}"),
            (Post, "/tools/search", "POST /tools/search"),
            (Delete, "/tools/search", "wrong: POST"),
        ],
        ..Default::default()
    }
    .run();
}

#[test]
fn conflicting_templates_are_recorded_and_ambiguous() {
    let test = MatchTest {
        routes: &[
            (Get, "/pets/{id}"),
            (Get, "/pets/{petId}"),
            (Delete, "/pets/{petId}"),
        ],
        calls: &[
            (
                Get,
                "/pets/1",
                "ambiguous: GET /pets/{id} | GET /pets/{petId}",
            ),
            (Delete, "/pets/1", "DELETE /pets/{petId}"),
        ],
        ..Default::default()
    };
    let index = test.index();
    assert_eq!(
        index.conflicts(),
        [Conflict {
            method: Get,
            endpoint: 1,
            with: 0
        }]
    );
    test.run();
}

#[test]
fn empty_segments_and_long_paths() {
    let long_route = format!("/{}", vec!["s"; 40].join("/"));
    let long_call = format!("/{}", vec!["s"; 40].join("/"));
    let routes = [(Get, "/a/{x}/b"), (Get, long_route.as_str())];
    let want = format!("GET {long_route}");
    let calls = [
        (Get, "/a//b", "none"),
        (Get, long_call.as_str(), want.as_str()),
    ];
    MatchTest {
        routes: &routes,
        aliases: &["/v1"],
        calls: &calls,
        ..Default::default()
    }
    .run();
}

/// Builds 100,000 endpoints and runs a million lookups; prints lookups/s.
/// `cargo test --release --lib matcher::tests::throughput -- --ignored --nocapture`
#[test]
#[ignore]
fn throughput() {
    use std::time::Instant;
    let mut paths = Vec::new();
    for svc in 0..100 {
        for res in 0..250 {
            paths.push(format!("/v1/svc{svc}/res{res}"));
            paths.push(format!("/v1/svc{svc}/res{res}/{{id}}"));
            paths.push(format!("/v1/svc{svc}/res{res}/{{id}}/items/{{item_id}}"));
            paths.push(format!("/v1/svc{svc}/res{res}/search"));
        }
    }
    let t = Instant::now();
    let aliases = vec!["/v1".to_string()];
    let index = Index::from_templates(
        "",
        paths.iter().map(|p| (Get, p.as_str())),
        &MatchOptions {
            aliases: &aliases,
            ..Default::default()
        },
    );
    let built = t.elapsed();
    let calls: Vec<String> = (0..1000)
        .map(|i| match i % 4 {
            0 => format!("/v1/svc{}/res{}/{{tid}}", i % 100, i % 250),
            1 => format!("/svc{}/res{}/search?q=1", i % 100, i % 250),
            2 => format!("/v1/svc{}/res{}/42/items/{{x}}", i % 100, i % 250),
            _ => format!("/v1/svc{}/nope{}/", i % 100, i % 250),
        })
        .collect();
    let t = Instant::now();
    let mut matched = 0usize;
    for round in 0..1000 {
        for c in &calls {
            if matches!(
                index.lookup(if round % 50 == 0 { Post } else { Get }, c),
                Lookup::Matched { .. }
            ) {
                matched += 1;
            }
        }
    }
    let spent = t.elapsed();
    println!(
        "{} endpoints built in {:?}; 1,000,000 lookups in {:?}: {:.0} lookups/s ({matched} matched)",
        index.len(),
        built,
        spent,
        1_000_000.0 / spent.as_secs_f64()
    );
}

/// Routes of every shape kind, each with a sample call that reaches it.
fn mixed_routes(n: usize) -> Vec<(Method, String, String)> {
    let mut routes = Vec::new();
    for i in 0..n {
        for method in [Get, Post, Delete] {
            routes.push((method, format!("/v1/r{i}"), format!("/v1/r{i}")));
            routes.push((method, format!("/v1/r{i}/{{id}}"), format!("/v1/r{i}/7")));
        }
        routes.push((Get, format!("/v1/r{i}/{{id}}/x/"), format!("/v1/r{i}/7/x/")));
        routes.push((
            Head,
            format!("/v1/r{i}/{{id}}.json"),
            format!("/v1/r{i}/7.json"),
        ));
    }
    routes
}

#[test]
fn an_index_built_in_any_order_gives_the_same_answers() {
    // A spec sorted by path and method numbers each path's endpoints in a
    // row, which lookups use; any other order must answer the same.
    let sorted = mixed_routes(40);
    let mut shuffled = sorted.clone();
    shuffled.reverse();
    shuffled.rotate_left(17);
    let aliases = vec!["/v1".to_string()];
    let opts = MatchOptions {
        aliases: &aliases,
        ..MatchOptions::default()
    };
    let build = |routes: &[(Method, String, String)]| {
        Index::from_templates("", routes.iter().map(|(m, p, _)| (*m, p.as_str())), &opts)
    };
    let (a, b) = (build(&sorted), build(&shuffled));
    let answer = |index: &Index, routes: &[(Method, String, String)], method, url: &str| match index
        .lookup(method, url)
    {
        Lookup::Matched { endpoint, notes } => {
            let (m, p, _) = &routes[endpoint];
            format!("{m} {p} {notes:?}")
        }
        other => format!("{other:?}"),
    };
    for (_, _, call) in &sorted {
        for method in [Get, Post, Delete, Head, Method::Put] {
            for url in [
                call.clone(),
                call.replacen("/v1", "", 1),
                format!("{call}/"),
            ] {
                assert_eq!(
                    answer(&a, &sorted, method, &url),
                    answer(&b, &shuffled, method, &url),
                    "{method} {url}"
                );
            }
        }
    }
    for (method, path, call) in &sorted {
        assert_eq!(
            answer(&a, &sorted, *method, call),
            format!("{method} {path} Notes {{ redirect: false, alias: None }}")
        );
    }
}

#[test]
fn lookup_each_answers_as_lookup_does() {
    let routes = mixed_routes(30);
    let index = Index::from_templates(
        "",
        routes.iter().map(|(m, p, _)| (*m, p.as_str())),
        &MatchOptions::default(),
    );
    // Every third item has no call; the others are the sample calls, a
    // miss and a wrong method among them.
    let mut items: Vec<Option<(Method, String)>> = Vec::new();
    for (k, (method, _, call)) in routes.iter().enumerate() {
        items.push(match k % 3 {
            0 => None,
            1 => Some((*method, call.clone())),
            _ => Some((Method::Patch, format!("{call}/nowhere"))),
        });
    }
    let mut got = Vec::new();
    index.lookup_each(
        &items,
        |item| item.as_ref().map(|(m, u)| (*m, u.as_str())),
        |i, lookup| got.push((i, format!("{lookup:?}"))),
    );
    let want: Vec<(usize, String)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let (m, u) = item.as_ref()?;
            Some((i, format!("{:?}", index.lookup(*m, u))))
        })
        .collect();
    assert_eq!(got, want);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("search".to_string()),
            Just("{id}".to_string()),
            Just("{p}.json".to_string()),
            Just("x-{n}".to_string()),
        ]
    }

    fn route() -> impl Strategy<Value = (Method, String, bool)> {
        (
            prop_oneof![Just(Get), Just(Post)],
            prop::collection::vec(segment(), 0..5),
            any::<bool>(),
        )
            .prop_map(|(m, segs, slash)| {
                let mut path = format!("/{}", segs.join("/"));
                if slash && path.len() > 1 {
                    path.push('/');
                }
                (m, path, slash)
            })
    }

    /// The path's shape: parameters blanked, so `/a/{id}` and `/a/{x}` agree.
    fn shape(path: &str) -> String {
        let mut out = String::new();
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '{' => {
                    depth += 1;
                    out.push('{');
                }
                '}' => {
                    depth -= 1;
                    out.push('}');
                }
                _ if depth > 0 => {}
                _ => out.push(c),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn never_panics_on_any_input(
            routes in prop::collection::vec(("\\PC{0,20}", any::<bool>()), 0..8),
            calls in prop::collection::vec("\\PC{0,30}", 0..8),
            base in "\\PC{0,8}",
            alias in "\\PC{0,8}",
        ) {
            let aliases = vec![alias];
            let catch_all: Vec<Vec<String>> = routes
                .iter()
                .map(|(_, c)| if *c { vec!["id".to_string()] } else { vec![] })
                .collect();
            let index = Index::from_templates(
                &base,
                routes.iter().map(|(p, _)| (Get, p.as_str())),
                &MatchOptions { aliases: &aliases, strict_slashes: false, catch_all: &catch_all },
            );
            for call in &calls {
                let _ = index.lookup(Get, call);
                let _ = index.lookup(Post, call);
            }
        }

        /// A call written like a route, every parameter a placeholder, reaches
        /// a route of exactly that shape: placeholders fit only parameters,
        /// and the route itself is always a candidate.
        #[test]
        fn a_route_written_as_a_call_reaches_its_own_shape(
            routes in prop::collection::vec(route(), 1..12),
            pick in any::<prop::sample::Index>(),
        ) {
            let index = Index::from_templates(
                "",
                routes.iter().map(|(m, p, _)| (*m, p.as_str())),
                &MatchOptions::default(),
            );
            let (method, path, _) = &routes[pick.index(routes.len())];
            match index.lookup(*method, path) {
                Lookup::Matched { endpoint, notes } => {
                    prop_assert!(!notes.redirect);
                    prop_assert_eq!(shape(&routes[endpoint].1), shape(path));
                    prop_assert_eq!(routes[endpoint].0, *method);
                }
                Lookup::Ambiguous { candidates } => {
                    for e in candidates {
                        prop_assert_eq!(shape(&routes[e].1), shape(path));
                    }
                }
                other => prop_assert!(false, "{} {}: {:?}", method, path, other),
            }
        }
    }
}
