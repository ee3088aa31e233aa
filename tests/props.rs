//! Property tests over every entry point that takes user data, called as a
//! library: the spec loader on structurally mutated documents, the matcher
//! on arbitrary templates and calls, skip patterns, the config parser, and
//! the scanner, router reader and tokenizer on mutated real-looking Python,
//! and Locust statistics (CSV and JSON).
//! Each must return a value or an error, never panic. 256 cases each by
//! default; set `PROPTEST_CASES` for a longer run (see docs/reliability.md).

use std::path::{Path, PathBuf};

use cov::matcher::{Index, Lookup, MatchOptions};
use cov::method::Method;
use cov::skip::SkipRule;
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::fixtures;

// ---- the spec loader -------------------------------------------------------

fn valid_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Props", "version": "1"},
        "servers": [{"url": "https://{host}/api/{v}", "variables": {"host": {"default": "x"}, "v": {"default": "v1"}}}],
        "paths": {
            "/items": {"get": {"operationId": "list", "tags": ["items"]}, "post": {"deprecated": true}},
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path"}],
                "get": {"summary": "one"}, "delete": {},
                "$ref": "#/components/pathItems/Shared"
            },
            "/files/{path}": {"put": {"tags": []}}
        },
        "components": {"pathItems": {"Shared": {"patch": {"operationId": "patch"}}}}
    })
}

/// Strange values and keys to splice into a document.
fn weird_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!(-1)),
        Just(json!(1.5e300)),
        Just(json!([])),
        Just(json!({})),
        Just(json!([{}, [], null])),
        Just(json!({"$ref": "#/components/pathItems/Shared"})),
        Just(json!({"$ref": "#/paths/~1items"})),
        Just(json!({"get": "oops"})),
        Just(json!({"get": {"tags": [1, {}]}})),
        "\\PC{0,20}".prop_map(Value::String),
        (1usize..200_000).prop_map(|n| Value::String("z".repeat(n))),
    ]
}

fn weird_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_string()),
        Just("}{".to_string()),
        Just("/}{".to_string()),
        Just("//".to_string()),
        Just("%".to_string()),
        Just("/%zz".to_string()),
        Just("/{".to_string()),
        Just("/{a}/{a}".to_string()),
        Just("/{}".to_string()),
        Just("/a/{b:path}".to_string()),
        Just(String::new()),
        Just("$ref".to_string()),
        Just("openapi".to_string()),
        Just("paths".to_string()),
        Just("get".to_string()),
        "/\\PC{0,12}",
        (1usize..100_000).prop_map(|n| format!("/{}", "{x}".repeat(n / 3))),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    Insert(usize, String, Value),
    Duplicate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), weird_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<usize>(), weird_key(), weird_value())
            .prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

/// Every object in the document, depth first, as JSON pointers.
fn object_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            out.push(at.clone());
            for (k, child) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                object_pointers(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                object_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Applies a mutation; returns extra raw text to inject (a duplicated key
/// cannot be held by a JSON map, so it is spliced into the text).
fn apply(doc: &mut Value, m: &Mutation) -> Option<String> {
    let mut objects = Vec::new();
    object_pointers(doc, String::new(), &mut objects);
    let pick = |i: usize| objects[i % objects.len()].clone();
    match m {
        Mutation::Delete(i) | Mutation::Replace(i, _) | Mutation::Duplicate(i) => {
            let target = doc.pointer_mut(&pick(*i))?.as_object_mut()?;
            let keys: Vec<String> = target.keys().cloned().collect();
            if keys.is_empty() {
                return None;
            }
            let key = keys[i % keys.len()].clone();
            match m {
                Mutation::Delete(_) => {
                    target.remove(&key);
                }
                Mutation::Replace(_, v) => {
                    target.insert(key, v.clone());
                }
                _ => {
                    let value = target.get(&key).cloned().unwrap_or(Value::Null);
                    return Some(format!("{}: {}", Value::String(key), value));
                }
            }
        }
        Mutation::Insert(i, k, v) => {
            if let Some(target) = doc.pointer_mut(&pick(*i)).and_then(Value::as_object_mut) {
                target.insert(k.clone(), v.clone());
            }
        }
    }
    None
}

fn check_spec(bytes: &[u8], name: &str) {
    if let Ok(spec) = cov::spec::parse(bytes, name) {
        // Endpoints come out sorted and unique.
        for pair in spec.endpoints.windows(2) {
            let a = (&pair[0].path, pair[0].method);
            let b = (&pair[1].path, pair[1].method);
            assert!(a < b, "{a:?} !< {b:?}");
        }
        // The matcher takes whatever the loader accepts.
        let index = Index::build(
            &spec,
            &MatchOptions {
                aliases: &[],
                strict_slashes: false,
                catch_all: &[],
            },
        );
        for e in &spec.endpoints {
            let _ = index.lookup(e.method, &e.path);
        }
    }
}

proptest! {
    #[test]
    fn mutated_specs_load_or_fail_cleanly(muts in proptest::collection::vec(mutation(), 1..6)) {
        let mut doc = valid_spec();
        let mut dup = None;
        for m in &muts {
            dup = apply(&mut doc, m).or(dup);
        }
        let mut text = serde_json::to_string_pretty(&doc).expect("serialize");
        if let (Some(dup), Some(open)) = (dup, text.find('{')) {
            text.insert_str(open + 1, &format!("{dup},"));
        }
        check_spec(text.as_bytes(), "openapi.json");
        // JSON is YAML (flow style): the YAML reader gets the same documents.
        check_spec(text.as_bytes(), "openapi.yaml");
    }

    #[test]
    fn truncated_specs_fail_cleanly(cut in 0usize..2000) {
        let text = serde_json::to_string_pretty(&valid_spec()).expect("serialize");
        let cut = cut.min(text.len());
        let bytes = &text.as_bytes()[..cut];
        check_spec(bytes, "openapi.json");
        check_spec(bytes, "openapi.yaml");
    }
}

// ---- the matcher ----------------------------------------------------------

fn template() -> impl Strategy<Value = String> {
    let seg = prop_oneof![
        "[a-z]{1,5}",
        "\\{[a-z]{0,4}\\}",
        "\\{[a-z]{1,3}:path\\}",
        "[a-z]{0,2}\\{[a-z]{1,3}\\}[-.a-z]{0,3}\\{[a-z]{1,3}\\}[a-z]{0,2}",
        "[{}%.:*]{1,3}",
        Just(String::new()),
        "\\PC{0,6}",
    ];
    (proptest::collection::vec(seg, 0..6), any::<bool>())
        .prop_map(|(segs, slash)| format!("/{}{}", segs.join("/"), if slash { "/" } else { "" }))
}

fn call() -> impl Strategy<Value = String> {
    prop_oneof![
        template(),
        "\\PC{0,40}",
        "(https?://[a-z.]{1,8})?(/[a-z0-9{}%.-]{0,6}){0,6}/?(\\?[a-z=&{}]{0,8})?(#[a-z]{0,3})?",
    ]
}

fn method() -> impl Strategy<Value = Method> {
    proptest::sample::select(Method::ALL.to_vec())
}

proptest! {
    #[test]
    fn the_matcher_takes_any_templates_and_calls(
        templates in proptest::collection::vec((method(), template()), 0..12),
        calls in proptest::collection::vec((method(), call()), 0..12),
        base in "(/[a-z{}]{0,4}){0,2}",
        aliases in proptest::collection::vec("(/[a-z{}]{0,3}){0,2}", 0..3),
        catch in proptest::collection::vec(proptest::collection::vec("[a-z]{1,3}", 0..2), 0..12),
        strict in any::<bool>(),
    ) {
        let opts = MatchOptions { aliases: &aliases, strict_slashes: strict, catch_all: &catch };
        let index = Index::from_templates(&base, templates.iter().map(|(m, t)| (*m, t.as_str())), &opts);
        prop_assert_eq!(index.len(), templates.len());
        for (m, url) in &calls {
            match index.lookup(*m, url) {
                Lookup::Matched { endpoint, .. } => prop_assert!(endpoint < templates.len()),
                Lookup::Ambiguous { candidates } => {
                    prop_assert!(candidates.iter().all(|&c| c < templates.len()));
                }
                Lookup::NoPath { slash_twin } => {
                    prop_assert!(slash_twin.is_none_or(|c| c < templates.len()));
                }
                Lookup::WrongMethod { .. } => {}
            }
        }
    }

    #[test]
    fn a_template_with_its_parameters_filled_reaches_an_endpoint_of_that_method(
        segs in proptest::collection::vec(prop_oneof!["[a-z]{1,5}", Just("{id}".to_string())], 1..6),
        value in "[a-z0-9]{1,6}",
    ) {
        let template = format!("/{}", segs.join("/"));
        let index = Index::from_templates(
            "",
            [(Method::Get, template.as_str())],
            &MatchOptions { aliases: &[], strict_slashes: true, catch_all: &[] },
        );
        let url = template.replace("{id}", &value);
        let found = index.lookup(Method::Get, &url);
        prop_assert!(matches!(found, Lookup::Matched { endpoint: 0, .. }), "{} -> {:?}", url, found);
    }
}

// ---- skip patterns --------------------------------------------------------

proptest! {
    #[test]
    fn skip_patterns_compile_or_are_refused_and_never_panic(
        pattern in "(/(\\*\\*|\\*|[a-z]{0,3}|\\{[a-z]{0,2}\\}?|[*{}a]{1,4})){0,8}",
        raw in "\\PC{0,30}",
        path in "(/([a-z]{0,3}|\\{[a-z]{0,3}\\}|[{}*]{0,2})){0,12}",
    ) {
        for p in [pattern.as_str(), raw.as_str()] {
            if let Ok(rule) = SkipRule::new("*", p, "because", None, None, "cov.toml", 1) {
                let _ = rule.matches(Method::Get, &path);
                let _ = rule.matches(Method::Get, p);
            }
        }
    }

    #[test]
    fn double_star_alone_matches_every_path(path in "(/[a-z{}]{0,4}){0,10}") {
        let rule = SkipRule::new("*", "/**", "because", None, None, "cov.toml", 1).expect("valid");
        prop_assert!(rule.matches(Method::Post, &path) || path.is_empty());
    }
}

// ---- the config parser ----------------------------------------------------

const CONFIG: &str = r#"spec = "openapi.json"
locustfiles = ["load"]
routers = "app"
aliases = ["/v1"]
strict_slashes = true
fail_under = 80.5
output = "todo/cov.md"

[headers]
Authorization = "Bearer ${TOKEN}"

[[skip]]
method = "GET"
path = "/servers/*/sse"
reason = "stream"
until = "2027-03-31"
"#;

proptest! {
    #[test]
    fn config_text_parses_or_fails_cleanly(
        cut in 0usize..400,
        insert in "[\\[\\]{}=\"'\\n .a-z0-9_$*/-]{0,12}",
        raw in "\\PC{0,200}",
    ) {
        let cut = cut.min(CONFIG.len());
        let mutated = format!("{}{insert}{}", &CONFIG[..cut], &CONFIG[cut..]);
        for text in [mutated.as_str(), raw.as_str()] {
            for name in ["cov.toml", "pyproject.toml"] {
                let _ = cov::config::parse(text, Path::new(name), PathBuf::new());
            }
            let wrapped = format!("[tool.cov]\n{text}");
            let _ = cov::config::parse(&wrapped, Path::new("pyproject.toml"), PathBuf::new());
        }
    }
}

// ---- Python: scanner, router reader, tokenizer on mutated real files ------

fn python_fixtures() -> Vec<String> {
    let mut out = Vec::new();
    for rel in [
        "locust/locustfile.py",
        "locust/tasksets.py",
        "locust/other_clients.py",
        "service/app/main.py",
        "service/app/api.py",
    ] {
        if let Ok(text) = std::fs::read_to_string(fixtures().join(rel)) {
            out.push(text);
        }
    }
    assert!(!out.is_empty(), "no Python fixtures found");
    out
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 0usize..80).prop_map(|(a, n)| Edit::Duplicate(a, n)),
        (
            any::<usize>(),
            prop_oneof![
                "[()\\[\\]{}:,.=@#'\"\\\\\\n\\t fbr]{1,6}",
                Just("\"\"\"".to_string()),
                Just("f\"{".to_string()),
                Just("\r\n".to_string()),
                Just("\0".to_string()),
                Just("\u{FEFF}".to_string()),
                Just("self.client.get(".to_string()),
                Just("@router.get(".to_string()),
                Just("class U(HttpUser):\n".to_string()),
            ]
        )
            .prop_map(|(a, s)| Edit::Insert(a, s)),
    ]
}

fn mutate(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(bytes.len())..end);
            }
            Edit::Duplicate(at, n) => {
                let at = (at % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            Edit::Insert(at, s) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
        }
    }
    bytes
}

proptest! {
    #[test]
    fn mutated_python_never_panics_any_reader(
        which in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let files = python_fixtures();
        let bytes = mutate(&files[which % files.len()], &edits);
        let source = cov::python::Source::from_bytes(&bytes);
        let _ = source.tokenize();
        let _ = cov::scanner::scan_inputs(vec![cov::scanner::discover::Input {
            path: "locustfile.py".to_string(),
            bytes: bytes.clone(),
            required: true,
        }]);
        let _ = cov::routes::read_sources(&[("app/main.py", &source.text)]);
    }
}

// ---- Locust statistics ----------------------------------------------------

const STATS_CSV: &str =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time\n\
GET,/books,10,0,5,5.5\n\
POST,/books/{id},3,1,7,7.25\n\
,Aggregated,13,1,6,6\n";

proptest! {
    #[test]
    fn stats_text_parses_or_fails_cleanly(
        cut in 0usize..200,
        insert in "[,\"\\n\\r a-zA-Z0-9./{}-]{0,10}",
        raw in "\\PC{0,200}",
    ) {
        let cut = cut.min(STATS_CSV.len());
        let mutated = format!("{}{insert}{}", &STATS_CSV[..cut], &STATS_CSV[cut..]);
        for text in [mutated.as_str(), raw.as_str()] {
            let _ = cov::stats::parse(text, "stats.csv");
            let _ = cov::stats::parse_csv(text, "stats.csv");
            let _ = cov::stats::parse_json(text, "stats");
        }
    }
}
