//! The spec stage: an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or
//! YAML, from a file or a URL) in, a flat list of [`Endpoint`]s out.
//!
//! The document is deserialized straight into a few small structs that keep
//! only what `cov` needs (versions, the server prefix, and per operation its
//! method, path, id, tags, summary and deprecation); schemas, descriptions
//! and everything else are skipped without building a tree. A data error
//! names its place as a JSON pointer (`/paths/~1tools/get`) and its line and
//! column.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use anyhow::{anyhow, bail, Context as _};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use crate::fetch::{self, FetchOptions};
use crate::method::Method;
use crate::name::{Name, Names};

/// One operation of the spec: a method on a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub method: Method,
    /// The path template exactly as the spec writes it (`/v1/tools/{tool_id}`),
    /// without the server prefix.
    pub path: Name,
    pub operation_id: Option<Name>,
    pub tags: Names,
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

/// Reads the spec from a file path or an `http(s)://` URL and parses it.
pub fn load(source: &str, opts: &FetchOptions) -> anyhow::Result<Spec> {
    let bytes = fetch::read_source(source, opts)?;
    parse(&bytes, &fetch::shown_source(source))
}

/// Parses an OpenAPI 3.x or Swagger 2.0 document, JSON or YAML.
/// `source_name` (a path or URL) names the input in errors and picks the
/// format by its extension when it has one.
pub fn parse(bytes: &[u8], source_name: &str) -> anyhow::Result<Spec> {
    parse_document(bytes, source_name).with_context(|| source_name.to_string())
}

fn parse_document(bytes: &[u8], source_name: &str) -> anyhow::Result<Spec> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(&first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) else {
        bail!("the document is empty; expected an OpenAPI document in JSON or YAML");
    };
    if first == b'<' {
        bail!("looks like an HTML page, not an OpenAPI document (a login page or the wrong URL?)");
    }
    let raw = match Format::detect(source_name, first) {
        Format::Json => parse_json(bytes)?,
        Format::Yaml => parse_yaml(bytes)?,
    };
    build(raw)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Yaml,
}

impl Format {
    /// By extension when the name has one, else by the first byte.
    fn detect(source_name: &str, first: u8) -> Format {
        let name = source_name
            .split(['?', '#'])
            .next()
            .unwrap_or(source_name)
            .to_ascii_lowercase();
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            Format::Yaml
        } else if name.ends_with(".json") || first == b'{' || first == b'[' {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

fn parse_json(bytes: &[u8]) -> anyhow::Result<RawDoc> {
    let reading = Reading::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let doc = DocSeed { reading: &reading }
        .deserialize(&mut de)
        .and_then(|doc| de.end().map(|()| doc))
        .map_err(|e| json_error(&e, &reading))?;
    Ok(doc)
}

fn json_error(e: &serde_json::Error, reading: &Reading) -> anyhow::Error {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let text = e.to_string();
    let msg = text
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&text);
    // serde_json counts column 0 right after a line break: show columns from 1.
    let column = column.max(1);
    match e.classify() {
        Category::Data => located(reading.pointer(), msg, line, column),
        Category::Syntax | Category::Eof | Category::Io => {
            let msg = if msg.contains("recursion limit") {
                "nested too deeply (more than 128 levels)"
            } else {
                msg
            };
            anyhow!("invalid JSON at line {line}, column {column}: {msg}")
        }
    }
}

fn parse_yaml(bytes: &[u8]) -> anyhow::Result<RawDoc> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        anyhow!("not valid UTF-8 at line {line}, column {column}; save the document as UTF-8")
    })?;
    // The YAML reader recurses once per nesting level, up to the depth
    // budget, with frames large enough that 128 levels can exhaust a small
    // thread stack (2 MiB for test threads, less on some platforms). Parse
    // on a thread whose stack is sized for the budget, so the limit, not
    // the caller's stack, decides. The reading (not `Sync`) lives there too.
    let parse = || {
        let reading = Reading::default();
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = 128;
        options.budget = Some(budget);
        serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
            DocSeed { reading: &reading }.deserialize(de)
        })
        .map_err(|e| yaml_error(&e, &reading))
    };
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("yaml".to_string())
            .stack_size(YAML_STACK_BYTES)
            .spawn_scoped(scope, parse)
            .map_err(|e| anyhow!("cannot start the YAML reader: {e}"))?
            .join()
            .map_err(|_| anyhow!("the YAML reader failed; convert the document to JSON"))?
    })
}

/// Stack for the YAML reader: far more than 128 nesting levels need even
/// in a debug build; only the pages touched are ever committed.
const YAML_STACK_BYTES: usize = 64 * 1024 * 1024;

fn yaml_error(e: &serde_saphyr::Error, reading: &Reading) -> anyhow::Error {
    let e = e.without_snippet();
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    if let serde_saphyr::Error::Budget { breach, .. } = &e {
        // The reader's safety limits, named in words rather than as a
        // library's debug output.
        let breach = format!("{breach:?}");
        let what = if breach.starts_with("Depth") {
            "nested more than 128 levels deep".to_string()
        } else {
            format!("beyond the YAML reader's safety limits ({breach}); convert it to JSON")
        };
        return anyhow!("the YAML document is {what} (line {line}, column {column})");
    }
    let text = e.to_string();
    let msg = strip_yaml_location(&text);
    // Advice meant for programmers using the YAML library, not for users.
    let msg = msg.split(", set DuplicateKeyPolicy").next().unwrap_or(msg);
    let syntax = matches!(
        e,
        serde_saphyr::Error::ExternalMessage { .. } | serde_saphyr::Error::Eof { .. }
    );
    if syntax {
        if line > 0 {
            anyhow!("invalid YAML at line {line}, column {column}: {msg}")
        } else {
            anyhow!("invalid YAML: {msg}")
        }
    } else {
        located(reading.pointer(), msg, line, column)
    }
}

/// serde-saphyr ends plain messages with its own ` at line L, column C`.
fn strip_yaml_location(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(text),
        None => text,
    }
}

fn located(pointer: Option<String>, msg: &str, line: usize, column: usize) -> anyhow::Error {
    let at = if line > 0 && column > 0 {
        format!(" (line {line}, column {column})")
    } else if line > 0 {
        format!(" (line {line})")
    } else {
        String::new()
    };
    match pointer {
        Some(p) => anyhow!("{p}: {msg}{at}"),
        None => anyhow!("{msg}{at}"),
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

// ---------------------------------------------------------------------------
// From the raw document to the Spec.

fn build(raw: RawDoc) -> anyhow::Result<Spec> {
    let swagger = match (&raw.openapi, &raw.swagger) {
        (Some(v), _) => {
            if !is_openapi3(v) {
                bail!(
                    "unsupported `openapi` version `{v}`; cov reads OpenAPI 3.0, 3.1 \
                     and Swagger 2.0 documents"
                );
            }
            false
        }
        (None, Some(v)) => {
            if v != "2.0" && v != "2" {
                bail!(
                    "unsupported `swagger` version `{v}`; cov reads Swagger 2.0 \
                     and OpenAPI 3.0, 3.1 documents"
                );
            }
            true
        }
        (None, None) => {
            bail!("no `openapi` or `swagger` version field: this is not an OpenAPI document")
        }
    };
    let spec_version = if swagger {
        "2.0".to_string()
    } else {
        raw.openapi.clone().unwrap_or_default()
    };
    let Some(paths) = raw.paths else {
        bail!("no `paths` object: the document declares no endpoints");
    };
    let base_path = if swagger {
        normalize_base_path(raw.base_path.as_deref().unwrap_or(""))
    } else {
        match &raw.server {
            Some(server) => server_base_path(server)?,
            None => String::new(),
        }
    };

    // Sort path items (a stable sort keeps a repeated path in document
    // order), then each item's operations: endpoints come out sorted by path,
    // then method, without comparing every endpoint's path.
    let mut paths = paths;
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    let mut endpoints = Vec::with_capacity(paths.iter().map(|(_, item)| item.ops.len()).sum());
    let mut previous: Option<&str> = None;
    for (path, item) in &mut paths {
        if previous == Some(path.as_str()) {
            bail!("/paths/{}: path `{path}` is declared twice", escape(path));
        }
        if let Some(reference) = item.reference.take() {
            let target = resolve_path_item(&reference, &raw.path_items).ok_or_else(|| {
                anyhow!(
                    "/paths/{}/$ref: cannot follow `{reference}`; only references to \
                     `#/components/pathItems/...` in the same document are followed \
                     (bundle the spec into one document first)",
                    escape(path)
                )
            })?;
            // One level only, so a cycle of references cannot loop; a chain
            // is refused rather than read as an empty path item.
            if let Some(next) = &target.reference {
                bail!(
                    "/paths/{}/$ref: `{reference}` is itself a `$ref` (to `{next}`); \
                     chains of references are not followed (bundle the spec first)",
                    escape(path)
                );
            }
            for (method, op) in &target.ops {
                if !item.ops.iter().any(|(m, _)| m == method) {
                    item.ops.push((*method, op.clone()));
                }
            }
        }
        item.ops.sort_by_key(|(method, _)| *method);
        for pair in item.ops.windows(2) {
            if let [(a, _), (b, _)] = pair {
                if a == b {
                    bail!(
                        "/paths/{}/{}: `{a} {path}` is declared twice",
                        escape(path),
                        a.as_str().to_ascii_lowercase(),
                    );
                }
            }
        }
        let shared_path = Name::from(path.as_str());
        for (method, op) in item.ops.drain(..) {
            endpoints.push(Endpoint {
                method,
                path: shared_path.clone(),
                operation_id: op.operation_id.map(Name::from),
                tags: op.tags,
                summary: op.summary,
                deprecated: op.deprecated,
            });
        }
        previous = Some(path.as_str());
    }
    Ok(Spec {
        title: raw.title,
        version: raw.version,
        spec_version,
        base_path,
        endpoints,
    })
}

/// Each tag, and each list of tags (in order), made once: many operations
/// share them.
#[derive(Debug, Default)]
struct TagLists {
    names: rustc_hash::FxHashMap<String, Name>,
    lists: rustc_hash::FxHashMap<Vec<String>, Names>,
}

impl TagLists {
    fn get(&mut self, tags: Vec<String>) -> Names {
        if let Some(list) = self.lists.get(&tags) {
            return list.clone();
        }
        let names = &mut self.names;
        let list: Names = tags
            .iter()
            .map(|tag| match names.get(tag) {
                Some(name) => name.clone(),
                None => {
                    let name = Name::from(tag.as_str());
                    names.insert(tag.clone(), name.clone());
                    name
                }
            })
            .collect();
        self.lists.insert(tags, list.clone());
        list
    }
}

/// `3.0`, `3.0.3`, `3.1.0`, `3.2.0`: any 3.x.
fn is_openapi3(version: &str) -> bool {
    version
        .strip_prefix("3.")
        .and_then(|rest| rest.split('.').next())
        .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()))
}

fn resolve_path_item<'a>(
    reference: &str,
    items: &'a BTreeMap<String, RawPathItem>,
) -> Option<&'a RawPathItem> {
    let name = reference.strip_prefix("#/components/pathItems/")?;
    items.get(&unescape(name))
}

/// The path part of `servers[0].url`, with `{variables}` replaced by their defaults.
fn server_base_path(server: &RawServer) -> anyhow::Result<String> {
    let mut url = String::with_capacity(server.url.len());
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        url.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            url.push_str(rest.get(open..).unwrap_or_default());
            rest = "";
            break;
        };
        let name = after.get(..close).unwrap_or_default();
        match server.variables.get(name) {
            Some(default) => url.push_str(default),
            None => {
                url.push('{');
                url.push_str(name);
                url.push('}');
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    url.push_str(rest);
    let path = url_path(&url);
    if path.contains('{') || path.contains('}') {
        bail!(
            "/servers/0/url: `{}` has a variable in its path without a default; \
             give it a `default` under `variables`",
            server.url
        );
    }
    Ok(normalize_base_path(path))
}

/// The path part of an absolute (`https://h/api`), scheme-relative
/// (`//h/api`) or relative (`/api`) URL, without query or fragment.
fn url_path(url: &str) -> &str {
    let url = url.trim();
    let path = if let Some((_, rest)) = url.split_once("://") {
        rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("")
    } else if let Some(rest) = url.strip_prefix("//") {
        rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("")
    } else {
        url
    };
    path.split(['?', '#']).next().unwrap_or("")
}

/// Leading `/`, no trailing `/`, empty for the root.
fn normalize_base_path(path: &str) -> String {
    let trimmed = path.trim().trim_start_matches('.').trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// JSON pointer escaping of one segment (RFC 6901).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

// ---------------------------------------------------------------------------
// The raw document: only what is kept.

#[derive(Debug, Default)]
struct RawDoc {
    openapi: Option<String>,
    swagger: Option<String>,
    title: Option<String>,
    version: Option<String>,
    /// `servers[0]`.
    server: Option<RawServer>,
    base_path: Option<String>,
    paths: Option<Vec<(String, RawPathItem)>>,
    /// `components.pathItems` (3.1), for `$ref` path items.
    path_items: BTreeMap<String, RawPathItem>,
}

#[derive(Debug, Default)]
struct RawServer {
    url: String,
    /// Variable name -> default.
    variables: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone)]
struct RawPathItem {
    reference: Option<String>,
    ops: Vec<(Method, RawOp)>,
}

#[derive(Debug, Default, Clone)]
struct RawOp {
    operation_id: Option<String>,
    tags: Names,
    summary: Option<String>,
    deprecated: bool,
}

/// What the visitors of one document share: the JSON pointer of a data
/// error, built segment by segment while the error unwinds through them
/// (innermost first), and the tags read so far.
#[derive(Default)]
struct Reading {
    trail: RefCell<Vec<String>>,
    tags: RefCell<TagLists>,
}

impl Reading {
    fn pointer(&self) -> Option<String> {
        let segments = self.trail.borrow();
        if segments.is_empty() {
            return None;
        }
        Some(segments.iter().rev().fold(String::new(), |mut p, s| {
            p.push('/');
            p.push_str(&escape(s));
            p
        }))
    }

    /// Passes `result` through, recording `segment` when it is an error.
    fn within<T, E>(&self, segment: &str, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            self.trail.borrow_mut().push(segment.to_string());
        }
        result
    }
}

/// A scalar read as text: YAML writes `version: 1.0` or `openapi: 3.0`
/// unquoted, so numbers and booleans are accepted too.
struct Text(String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(format!("{v:?}")))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    Ok(map.next_value::<Option<Text>>()?.map(|t| t.0))
}

/// Keys matched without allocating.
macro_rules! key_enum {
    ($name:ident { $($text:literal => $variant:ident),* $(,)? }) => {
        enum $name { $($variant,)* Other }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a key")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok(match v { $($text => $name::$variant,)* _ => $name::Other })
                    }
                    fn visit_i64<E: de::Error>(self, _: i64) -> Result<$name, E> { Ok($name::Other) }
                    fn visit_u64<E: de::Error>(self, _: u64) -> Result<$name, E> { Ok($name::Other) }
                    fn visit_f64<E: de::Error>(self, _: f64) -> Result<$name, E> { Ok($name::Other) }
                    fn visit_bool<E: de::Error>(self, _: bool) -> Result<$name, E> { Ok($name::Other) }
                    fn visit_unit<E: de::Error>(self) -> Result<$name, E> { Ok($name::Other) }
                }
                d.deserialize_any(V)
            }
        }
    };
}

key_enum!(DocKey {
    "openapi" => Openapi,
    "swagger" => Swagger,
    "info" => Info,
    "servers" => Servers,
    "basePath" => BasePath,
    "paths" => Paths,
    "components" => Components,
});

key_enum!(InfoKey { "title" => Title, "version" => Version });

key_enum!(ServerKey { "url" => Url, "variables" => Variables });

key_enum!(VariableKey { "default" => Default });

key_enum!(ComponentsKey { "pathItems" => PathItems });

key_enum!(ItemKey {
    "get" => Get,
    "put" => Put,
    "post" => Post,
    "delete" => Delete,
    "options" => Options,
    "head" => Head,
    "patch" => Patch,
    "trace" => Trace,
    "$ref" => Ref,
});

key_enum!(OpKey {
    "operationId" => OperationId,
    "tags" => Tags,
    "summary" => Summary,
    "deprecated" => Deprecated,
});

/// A map key read as text, for path templates and component names.
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Text::deserialize(d).map(|t| KeyText(t.0))
    }
}

struct DocSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = RawDoc;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawDoc, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = RawDoc;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OpenAPI document (an object with `openapi` and `paths`)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDoc, A::Error> {
        let t = self.reading;
        let mut doc = RawDoc::default();
        // JSON allows a key twice and would keep the last; YAML refuses it.
        // Refuse it in both for the keys that decide what is read.
        let mut seen = [false; 4];
        while let Some(key) = map.next_key::<DocKey>()? {
            let once = match key {
                DocKey::Openapi => Some((0, "openapi")),
                DocKey::Swagger => Some((1, "swagger")),
                DocKey::Paths => Some((2, "paths")),
                DocKey::Components => Some((3, "components")),
                _ => None,
            };
            if let Some((i, name)) = once {
                if std::mem::replace(&mut seen[i], true) {
                    return Err(<A::Error as de::Error>::duplicate_field(name));
                }
            }
            match key {
                DocKey::Openapi => doc.openapi = t.within("openapi", text(&mut map))?,
                DocKey::Swagger => doc.swagger = t.within("swagger", text(&mut map))?,
                DocKey::BasePath => doc.base_path = t.within("basePath", text(&mut map))?,
                DocKey::Info => {
                    let info = t.within("info", map.next_value_seed(InfoSeed { reading: t }))?;
                    doc.title = info.0;
                    doc.version = info.1;
                }
                DocKey::Servers => {
                    doc.server =
                        t.within("servers", map.next_value_seed(ServersSeed { reading: t }))?;
                }
                DocKey::Paths => {
                    doc.paths =
                        Some(t.within("paths", map.next_value_seed(PathsSeed { reading: t }))?);
                }
                DocKey::Components => {
                    doc.path_items = t.within(
                        "components",
                        map.next_value_seed(ComponentsSeed { reading: t }),
                    )?;
                }
                DocKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(doc)
    }
}

/// `info`: (title, version).
struct InfoSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for InfoSeed<'_> {
    type Value = (Option<String>, Option<String>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for InfoSeed<'_> {
    type Value = (Option<String>, Option<String>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an info object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut info = (None, None);
        while let Some(key) = map.next_key::<InfoKey>()? {
            match key {
                InfoKey::Title => info.0 = self.reading.within("title", text(&mut map))?,
                InfoKey::Version => info.1 = self.reading.within("version", text(&mut map))?,
                InfoKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(info)
    }
}

/// `servers`: the first server only.
struct ServersSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for ServersSeed<'_> {
    type Value = Option<RawServer>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ServersSeed<'_> {
    type Value = Option<RawServer>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of server objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = self.reading.within(
            "0",
            seq.next_element_seed(ServerSeed {
                reading: self.reading,
            }),
        )?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }
}

struct ServerSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for ServerSeed<'_> {
    type Value = RawServer;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawServer, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ServerSeed<'_> {
    type Value = RawServer;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a server object with a `url`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawServer, A::Error> {
        let mut server = RawServer::default();
        while let Some(key) = map.next_key::<ServerKey>()? {
            match key {
                ServerKey::Url => {
                    server.url = self
                        .reading
                        .within("url", text(&mut map))?
                        .unwrap_or_default();
                }
                ServerKey::Variables => {
                    server.variables = self
                        .reading
                        .within("variables", map.next_value_seed(VariablesSeed))?;
                }
                ServerKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(server)
    }
}

/// `servers[0].variables`: name -> default.
struct VariablesSeed;

impl<'de> DeserializeSeed<'de> for VariablesSeed {
    type Value = BTreeMap<String, String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for VariablesSeed {
    type Value = BTreeMap<String, String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of server variables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(KeyText(name)) = map.next_key()? {
            if let Some(default) = map.next_value::<Variable>()?.0 {
                out.insert(name, default);
            }
        }
        Ok(out)
    }
}

struct Variable(Option<String>);

impl<'de> serde::Deserialize<'de> for Variable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Variable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a server variable object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Variable, A::Error> {
                let mut default = None;
                while let Some(key) = map.next_key::<VariableKey>()? {
                    match key {
                        VariableKey::Default => default = text(&mut map)?,
                        VariableKey::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Variable(default))
            }
        }
        d.deserialize_any(V)
    }
}

/// `components`: only `pathItems` is kept.
struct ComponentsSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for ComponentsSeed<'_> {
    type Value = BTreeMap<String, RawPathItem>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ComponentsSeed<'_> {
    type Value = BTreeMap<String, RawPathItem>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a components object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = BTreeMap::new();
        while let Some(key) = map.next_key::<ComponentsKey>()? {
            match key {
                ComponentsKey::PathItems => {
                    let named = map.next_value_seed(PathItemsSeed {
                        reading: self.reading,
                    });
                    items = self.reading.within("pathItems", named)?;
                }
                ComponentsKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(items)
    }
}

struct PathItemsSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for PathItemsSeed<'_> {
    type Value = BTreeMap<String, RawPathItem>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PathItemsSeed<'_> {
    type Value = BTreeMap<String, RawPathItem>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of named path items")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = BTreeMap::new();
        while let Some(KeyText(name)) = map.next_key()? {
            let item = map.next_value_seed(PathItemSeed {
                reading: self.reading,
            });
            let item = self.reading.within(&name, item)?;
            items.insert(name, item);
        }
        Ok(items)
    }
}

/// `paths`: path template -> path item, in document order.
struct PathsSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for PathsSeed<'_> {
    type Value = Vec<(String, RawPathItem)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PathsSeed<'_> {
    type Value = Vec<(String, RawPathItem)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object mapping path templates to path items")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut paths = Vec::new();
        while let Some(KeyText(path)) = map.next_key()? {
            if !path.starts_with('/') {
                return self.reading.within(
                    &path,
                    Err(de::Error::custom(format!(
                        "path `{path}` does not start with `/`"
                    ))),
                );
            }
            let item = map.next_value_seed(PathItemSeed {
                reading: self.reading,
            });
            let item = self.reading.within(&path, item)?;
            paths.push((path, item));
        }
        Ok(paths)
    }
}

struct PathItemSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for PathItemSeed<'_> {
    type Value = RawPathItem;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawPathItem, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PathItemSeed<'_> {
    type Value = RawPathItem;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a path item object")
    }
    /// `/x:` with nothing after it in YAML: an empty path item.
    fn visit_unit<E: de::Error>(self) -> Result<RawPathItem, E> {
        Ok(RawPathItem::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<RawPathItem, E> {
        Ok(RawPathItem::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPathItem, A::Error> {
        let mut item = RawPathItem::default();
        while let Some(key) = map.next_key::<ItemKey>()? {
            let method = match key {
                ItemKey::Get => Method::Get,
                ItemKey::Put => Method::Put,
                ItemKey::Post => Method::Post,
                ItemKey::Delete => Method::Delete,
                ItemKey::Options => Method::Options,
                ItemKey::Head => Method::Head,
                ItemKey::Patch => Method::Patch,
                ItemKey::Trace => Method::Trace,
                ItemKey::Ref => {
                    item.reference = self.reading.within("$ref", text(&mut map))?;
                    continue;
                }
                ItemKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let name = method.as_str().to_ascii_lowercase();
            let op = self.reading.within(
                &name,
                map.next_value_seed(OpSeed {
                    reading: self.reading,
                }),
            )?;
            item.ops.push((method, op));
        }
        Ok(item)
    }
}

struct OpSeed<'t> {
    reading: &'t Reading,
}

impl<'de> DeserializeSeed<'de> for OpSeed<'_> {
    type Value = RawOp;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawOp, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OpSeed<'_> {
    type Value = RawOp;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an operation object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOp, A::Error> {
        let t = self.reading;
        let mut op = RawOp::default();
        while let Some(key) = map.next_key::<OpKey>()? {
            match key {
                OpKey::OperationId => op.operation_id = t.within("operationId", text(&mut map))?,
                OpKey::Summary => op.summary = t.within("summary", text(&mut map))?,
                OpKey::Tags => {
                    let tags = t.within("tags", map.next_value::<Option<Tags>>())?;
                    let tags = tags.map(|tags| t.tags.borrow_mut().get(tags.0));
                    op.tags = tags.unwrap_or_default();
                }
                OpKey::Deprecated => {
                    let deprecated = t.within("deprecated", map.next_value::<Option<bool>>())?;
                    op.deprecated = deprecated.unwrap_or(false);
                }
                OpKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(op)
    }
}

struct Tags(Vec<String>);

impl<'de> serde::Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tags;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of tag names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tags, A::Error> {
                let mut tags = Vec::new();
                while let Some(Text(tag)) = seq.next_element()? {
                    tags.push(tag);
                }
                Ok(Tags(tags))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn ok(name: &str, doc: &str) -> Spec {
        match parse(doc.as_bytes(), name) {
            Ok(spec) => spec,
            Err(e) => panic!("{name}: {e:#}"),
        }
    }

    #[track_caller]
    fn err(name: &str, doc: &str) -> String {
        match parse(doc.as_bytes(), name) {
            Ok(spec) => panic!("{name}: expected an error, got {spec:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    fn routes(spec: &Spec) -> Vec<String> {
        spec.endpoints
            .iter()
            .map(|e| format!("{} {}", e.method, e.path))
            .collect()
    }

    #[test]
    fn operations_with_the_same_tags_share_one_list() {
        let spec = ok(
            "openapi.json",
            r#"{"openapi": "3.0.3", "paths": {
                "/a": {"get": {"tags": ["x"]}, "post": {"tags": ["x", "y"]}},
                "/b": {"get": {"tags": ["x"]}, "put": {}}
            }}"#,
        );
        let tags: Vec<&[Name]> = spec.endpoints.iter().map(|e| &*e.tags).collect();
        assert_eq!(tags, [&["x"][..], &["x", "y"], &["x"], &[]]);
        assert!(std::ptr::eq(tags[0], tags[2]), "one list for the same tags");
        assert!(
            std::ptr::eq(tags[0][0].as_str(), tags[1][0].as_str()),
            "one name for the same tag in different lists"
        );
    }

    #[test]
    fn reads_operations_sorted_by_path_then_method() {
        let spec = ok(
            "a.json",
            r##"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "2.1"},
                "paths": {
                  "/pets/{id}": {"delete": {}, "get": {"operationId": "get_pet"}},
                  "/pets": {"post": {"tags": ["pets", "write"], "summary": "Add",
                                     "deprecated": true,
                                     "requestBody": {"content": {"application/json":
                                       {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
                            "get": {"responses": {"200": {"description": "ok"}}}}
                },
                "components": {"schemas": {"Pet": {"type": "object"}}}}"##,
        );
        assert_eq!(
            routes(&spec),
            [
                "GET /pets",
                "POST /pets",
                "GET /pets/{id}",
                "DELETE /pets/{id}"
            ]
        );
        assert_eq!(spec.title.as_deref(), Some("Pets"));
        assert_eq!(spec.version.as_deref(), Some("2.1"));
        assert_eq!(spec.spec_version, "3.0.3");
        assert_eq!(spec.base_path, "");
        let post = &spec.endpoints[1];
        assert_eq!(post.tags, ["pets", "write"]);
        assert_eq!(post.summary.as_deref(), Some("Add"));
        assert!(post.deprecated);
        assert_eq!(post.operation_id, None);
        assert_eq!(spec.endpoints[2].operation_id.as_deref(), Some("get_pet"));
    }

    #[test]
    fn reads_all_eight_methods_and_skips_path_level_keys() {
        let spec = ok(
            "m.yaml",
            "openapi: 3.1.0\n\
             paths:\n  /x/{id}:\n    summary: all of them\n    description: d\n    \
             parameters:\n      - {name: id, in: path, required: true}\n    \
             servers: [{url: /other}]\n    x-extra: 1\n    \
             trace: {}\n    patch: {}\n    head: {}\n    options: {}\n    \
             delete: {}\n    post: {}\n    put: {}\n    get: {}\n",
        );
        let methods: Vec<Method> = spec.endpoints.iter().map(|e| e.method).collect();
        assert_eq!(methods, Method::ALL);
    }

    #[test]
    fn yaml_versions_may_be_unquoted_numbers() {
        let spec = ok(
            "v.yaml",
            "openapi: 3.0\ninfo: {title: T, version: 1.0}\npaths: {/a: {get: {}}}\n",
        );
        assert_eq!(spec.spec_version, "3.0");
        assert_eq!(spec.version.as_deref(), Some("1.0"));
        let spec = ok("s.yaml", "swagger: 2.0\npaths: {/a: {get: {}}}\n");
        assert_eq!(spec.spec_version, "2.0");
    }

    #[test]
    fn base_path_comes_from_the_first_server_or_base_path() {
        let cases = [
            (
                r#""servers": [{"url": "https://api.example.com/api/v1/"}, {"url": "/x"}]"#,
                "/api/v1",
            ),
            (r#""servers": [{"url": "https://api.example.com"}]"#, ""),
            (r#""servers": [{"url": "https://api.example.com/"}]"#, ""),
            (r#""servers": [{"url": "/api"}]"#, "/api"),
            (r#""servers": [{"url": "/"}]"#, ""),
            (r#""servers": [{"url": "api/"}]"#, "/api"),
            (r#""servers": [{"url": "//h:8080/p?x=1#f"}]"#, "/p"),
            (r#""servers": []"#, ""),
            (
                r#""servers": [{"url": "{scheme}://{host}/{base}/v2",
                   "variables": {"host": {"default": "h"}, "base": {"default": "svc", "enum": ["svc"]}}}]"#,
                "/svc/v2",
            ),
        ];
        for (servers, want) in cases {
            let doc = format!(r#"{{"openapi": "3.1.0", {servers}, "paths": {{}}}}"#);
            assert_eq!(ok("s.json", &doc).base_path, want, "{servers}");
        }
        let spec = ok(
            "w.json",
            r#"{"swagger": "2.0", "basePath": "/v1/", "paths": {}}"#,
        );
        assert_eq!(spec.base_path, "/v1");
        let spec = ok(
            "w.json",
            r#"{"swagger": "2.0", "basePath": "/", "paths": {}}"#,
        );
        assert_eq!(spec.base_path, "");
    }

    #[test]
    fn a_server_variable_without_default_in_the_path_is_an_error() {
        let e = err(
            "s.json",
            r#"{"openapi": "3.1.0", "servers": [{"url": "/{base}/v1"}], "paths": {}}"#,
        );
        assert!(e.contains("/servers/0/url") && e.contains("default"), "{e}");
    }

    #[test]
    fn path_item_refs_to_components_are_followed() {
        let spec = ok(
            "r.json",
            r##"{"openapi": "3.1.0",
                "paths": {"/a": {"$ref": "#/components/pathItems/A", "post": {"operationId": "own"}}},
                "components": {"pathItems": {"A": {"get": {"operationId": "shared"},
                                                   "post": {"operationId": "theirs"}}}}}"##,
        );
        let ids: Vec<_> = spec
            .endpoints
            .iter()
            .map(|e| e.operation_id.as_deref())
            .collect();
        assert_eq!(ids, [Some("shared"), Some("own")]);
        let e = err(
            "r.json",
            r#"{"openapi": "3.1.0", "paths": {"/a/b": {"$ref": "other.yaml#/paths/x"}}}"#,
        );
        assert!(
            e.contains("/paths/~1a~1b/$ref") && e.contains("other.yaml"),
            "{e}"
        );
    }

    #[test]
    fn html_and_empty_bodies_are_named() {
        for body in [
            "<!DOCTYPE html><html></html>",
            "\n  <html><body>Login</body></html>",
            "<?xml version=\"1.0\"?>",
        ] {
            let e = err("https://h/openapi.json", body);
            assert!(
                e.contains("looks like an HTML page") && e.contains("login page"),
                "{e}"
            );
        }
        assert!(err("e.json", " \n\t").contains("empty"));
        assert!(err("e.json", "").contains("empty"));
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let e = err(
            "a.json",
            "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}",
        );
        assert!(
            e.starts_with("a.json: invalid JSON at line 3, column 13: "),
            "{e}"
        );
        let e = err(
            "a.yaml",
            "openapi: 3.0.3\npaths:\n  /tools:\n    get:\n      tags: [a\n  x: : y\n",
        );
        assert_eq!(
            e,
            "a.yaml: invalid YAML at line 6, column 4: illegal placement of ':' indicator"
        );
        let e = err("a.json", "{\"openapi\": \"3.0.0\", \"paths\": {}} x");
        assert!(
            e.contains("invalid JSON at line 1, column 35: trailing characters"),
            "{e}"
        );
    }

    #[test]
    fn deep_nesting_is_skipped_or_refused_never_a_crash() {
        let (open, close) = ("[".repeat(10_000), "]".repeat(10_000));
        // Skipped parts of a JSON document are not recursed into.
        let deep = format!(r#"{{"openapi": "3.0.0", "x": {open}{close}, "paths": {{}}}}"#);
        assert!(ok("d.json", &deep).endpoints.is_empty());
        let deep = format!("openapi: 3.0.0\nx: {open}{close}\npaths: {{}}\n");
        let e = err("d.yaml", &deep);
        assert!(e.starts_with("d.yaml: invalid YAML"), "{e}");
    }

    #[test]
    fn versions_and_paths_are_checked() {
        let cases = [
            (
                r#"{"paths": {}}"#,
                "no `openapi` or `swagger` version field",
            ),
            (
                r#"{"detail": "Not authenticated"}"#,
                "no `openapi` or `swagger` version field",
            ),
            (
                r#"{"openapi": "2.0", "paths": {}}"#,
                "unsupported `openapi` version `2.0`",
            ),
            (
                r#"{"openapi": "4.0.0", "paths": {}}"#,
                "unsupported `openapi` version `4.0.0`",
            ),
            (
                r#"{"openapi": "3.x", "paths": {}}"#,
                "unsupported `openapi` version `3.x`",
            ),
            (
                r#"{"swagger": "1.2", "paths": {}}"#,
                "unsupported `swagger` version `1.2`",
            ),
            (r#"{"openapi": "3.0.0"}"#, "no `paths` object"),
            (
                r#"{"openapi": "3.0.0", "paths": null}"#,
                "/paths: invalid type: null",
            ),
            (
                r#"{"openapi": "3.0.0", "paths": []}"#,
                "/paths: invalid type: sequence, expected an object mapping path templates",
            ),
            (r#"[]"#, "expected an OpenAPI document"),
        ];
        for (doc, want) in cases {
            let e = err("v.json", doc);
            assert!(e.contains(want), "{doc}\n  -> {e}");
        }
    }

    #[test]
    fn duplicate_top_level_keys_in_json_are_errors() {
        for (doc, want) in [
            (
                r#"{"openapi": "3.0.0", "openapi": "2.0", "paths": {}}"#,
                "duplicate field `openapi`",
            ),
            (
                r#"{"swagger": "2.0", "swagger": "2.0", "paths": {}}"#,
                "duplicate field `swagger`",
            ),
            (
                r#"{"openapi": "3.0.0", "paths": {"/a": {"get": {}}}, "paths": {}}"#,
                "duplicate field `paths`",
            ),
            (
                r#"{"openapi": "3.1.0", "components": {}, "paths": {}, "components": {}}"#,
                "duplicate field `components`",
            ),
        ] {
            let e = err("d.json", doc);
            assert!(e.starts_with(&format!("d.json: {want}")), "{doc}\n  -> {e}");
        }
    }

    #[test]
    fn a_chain_or_cycle_of_path_item_refs_is_refused() {
        for items in [
            r##"{"A": {"$ref": "#/components/pathItems/A"}}"##,
            r##"{"A": {"$ref": "#/components/pathItems/B"}, "B": {"$ref": "#/components/pathItems/A"}}"##,
            r##"{"A": {"$ref": "#/components/pathItems/B"}, "B": {"get": {}}}"##,
        ] {
            let doc = format!(
                r##"{{"openapi": "3.1.0", "paths": {{"/a": {{"$ref": "#/components/pathItems/A"}}}}, "components": {{"pathItems": {items}}}}}"##
            );
            let e = err("r.json", &doc);
            assert!(
                e.starts_with(
                    "r.json: /paths/~1a/$ref: `#/components/pathItems/A` is itself a `$ref`"
                ),
                "{items}\n  -> {e}"
            );
        }
    }

    #[test]
    fn yaml_nested_past_the_depth_limit_is_named_in_words() {
        let mut doc = String::from("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      x:\n");
        for depth in 0..200 {
            doc.push_str(&" ".repeat(8 + depth));
            doc.push_str("k:\n");
        }
        let e = err("n.yaml", &doc);
        assert!(
            e.starts_with("n.yaml: the YAML document is nested more than 128 levels deep (line "),
            "{e}"
        );
    }

    #[test]
    fn bad_operations_are_named_by_json_pointer() {
        let cases = [
            (r#"{"/tools": {"get": "oops"}}"#, "/paths/~1tools/get: invalid type: string \"oops\", expected an operation object (line 1, column "),
            (r#"{"/a~b/{id}": {"post": []}}"#, "/paths/~1a~0b~1{id}/post: invalid type: sequence"),
            (r#"{"/a": {"get": {"tags": "x"}}}"#, "/paths/~1a/get/tags: invalid type: string \"x\", expected a list of tag names"),
            (r#"{"/a": {"get": {"tags": [{}]}}}"#, "/paths/~1a/get/tags: invalid type: map, expected a string"),
            (r#"{"/a": {"get": {"operationId": []}}}"#, "/paths/~1a/get/operationId: invalid type: sequence, expected a string"),
            (r#"{"/a": {"get": {"deprecated": "yes"}}}"#, "/paths/~1a/get/deprecated: invalid type: string \"yes\", expected a boolean"),
            (r#"{"/a": 3}"#, "/paths/~1a: invalid type: integer `3`, expected a path item object"),
            (r#"{"tools": {}}"#, "/paths/tools: path `tools` does not start with `/`"),
            (r#"{"/a": {"get": {}}, "/a": {"post": {}}}"#, "/paths/~1a: path `/a` is declared twice"),
            (r#"{"/a": {"get": {}, "put": {}, "get": {}}}"#, "/paths/~1a/get: `GET /a` is declared twice"),
        ];
        for (paths, want) in cases {
            let doc = format!(r#"{{"openapi": "3.0.0", "paths": {paths}}}"#);
            let e = err("o.json", &doc);
            assert!(
                e.starts_with(&format!("o.json: {want}")),
                "{paths}\n  -> {e}"
            );
        }
        let e = err(
            "o.yaml",
            "openapi: 3.0.0\npaths:\n  /tools:\n    get: oops\n",
        );
        assert_eq!(e, "o.yaml: /paths/~1tools/get: invalid type: string \"oops\", expected an operation object (line 4, column 5)");
        let e = err(
            "o.yaml",
            "openapi: 3.0.0\npaths:\n  /x:\n    get: {}\n    get: {}\n",
        );
        assert!(
            e.starts_with("o.yaml: /paths/~1x: duplicate mapping key: get (line 5"),
            "{e}"
        );
    }

    #[test]
    fn yaml_path_items_may_be_empty_and_values_null() {
        let spec = ok(
            "n.yaml",
            "openapi: 3.0.0\npaths:\n  /a:\n  /b:\n    get:\n      tags:\n      summary: ~\n",
        );
        assert_eq!(routes(&spec), ["GET /b"]);
        assert!(spec.endpoints[0].tags.is_empty());
    }

    #[test]
    fn invalid_utf8_yaml_names_line_and_column() {
        let e = parse(b"openapi: 3.0.0\npaths:\n  /\xC3\xA9\xFF: {}\n", "u.yaml").unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "u.yaml: not valid UTF-8 at line 3, column 5; save the document as UTF-8"
        );
    }

    #[test]
    fn format_follows_the_extension_then_the_first_byte() {
        assert_eq!(Format::detect("a.yaml", b'{'), Format::Yaml);
        assert_eq!(Format::detect("a.YML", b'o'), Format::Yaml);
        assert_eq!(
            Format::detect("https://h/openapi.json?x=1", b'o'),
            Format::Json
        );
        assert_eq!(Format::detect("https://h/openapi", b'{'), Format::Json);
        assert_eq!(Format::detect("https://h/openapi", b'o'), Format::Yaml);
        assert_eq!(Format::detect("-", b'['), Format::Json);
    }

    #[test]
    fn yaml_with_crlf_a_document_marker_and_aliases() {
        let spec = ok(
            "c.yaml",
            "---\r\nopenapi: 3.0.0\r\npaths:\r\n  /a:\r\n    get: &op {tags: [x]}\r\n    \
             post: *op\r\n",
        );
        assert_eq!(routes(&spec), ["GET /a", "POST /a"]);
        assert_eq!(spec.endpoints[1].tags, ["x"]);
    }

    #[test]
    fn a_bom_is_skipped() {
        let spec = ok(
            "b.json",
            "\u{FEFF}{\"openapi\": \"3.0.0\", \"paths\": {\"/a\": {\"get\": {}}}}",
        );
        assert_eq!(routes(&spec), ["GET /a"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = parse(&bytes, "p.json");
            let _ = parse(&bytes, "p.yaml");
        }

        #[test]
        fn never_panics_on_mutated_documents(
            cut in 0usize..400,
            insert in "[\\[\\]{}:,\"'~/ a-z0-9\n-]{0,8}",
        ) {
            let doc = "openapi: 3.1.0\nservers:\n  - url: https://{h}/api/\n    variables: {h: {default: x}}\npaths:\n  /a/{id}:\n    parameters: [{name: id, in: path}]\n    get: {operationId: a, tags: [t]}\n    post: {deprecated: true}\n";
            let at = cut.min(doc.len());
            let mut mutated = doc.as_bytes()[..at].to_vec();
            mutated.extend_from_slice(insert.as_bytes());
            mutated.extend_from_slice(&doc.as_bytes()[at..]);
            let _ = parse(&mutated, "m.yaml");
            let json = r#"{"openapi":"3.0.0","servers":[{"url":"/v1/"}],"paths":{"/a/{id}":{"get":{"operationId":"a","tags":["t"]},"post":{"deprecated":true}}}}"#;
            let at = cut.min(json.len());
            let mut mutated = json.as_bytes()[..at].to_vec();
            mutated.extend_from_slice(insert.as_bytes());
            mutated.extend_from_slice(&json.as_bytes()[at..]);
            let _ = parse(&mutated, "m.json");
        }
    }
}
