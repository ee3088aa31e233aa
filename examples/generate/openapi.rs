//! Writes the service as an OpenAPI 3.1 JSON document shaped like FastAPI's
//! output (long descriptions, parameters, `$ref`s, big component schemas),
//! streamed so that a 100,000-operation spec never sits in memory whole.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

use crate::model::{schema_names, Api, Kind, Op};
use crate::rng::Rng;
use crate::words::{self, title};

pub fn write<W: Write>(out: W, api: &Api, seed: u64) -> io::Result<()> {
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    Document { api, seed }
        .serialize(&mut ser)
        .map_err(io::Error::other)
}

struct Document<'a> {
    api: &'a Api,
    seed: u64,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("openapi", "3.1.0")?;
        map.serialize_entry(
            "info",
            &json!({
                "title": "Synthetic Gateway",
                "description": "A generated API gateway used to benchmark coverage audits: registries, \
                    proxies and admin screens for tools, servers, prompts and resources.",
                "version": "1.0.0",
            }),
        )?;
        map.serialize_entry("paths", &Paths(self))?;
        map.serialize_entry("components", &Components(self))?;
        map.end()
    }
}

struct Paths<'a, 'b>(&'b Document<'a>);

impl Serialize for Paths<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let api = self.0.api;
        // Group operations by path, in first-seen order.
        let mut order: Vec<(&str, Vec<&Op>)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for op in api.ops.iter().filter(|op| !op.hidden) {
            let i = *index.entry(op.path.as_str()).or_insert_with(|| {
                order.push((op.path.as_str(), Vec::new()));
                order.len() - 1
            });
            order[i].1.push(op);
        }
        let mut rng = Rng::new(self.0.seed ^ 0x5EC);
        let mut map = s.serialize_map(Some(order.len()))?;
        for (path, ops) in &order {
            let mut item = serde_json::Map::new();
            for op in ops {
                item.insert(op.method.to_ascii_lowercase(), operation(api, op, &mut rng));
            }
            map.serialize_entry(path, &item)?;
        }
        map.end()
    }
}

fn description(rng: &mut Rng, op: &Op) -> String {
    let mut text = format!(
        "{} {}.\n\n",
        rng.pick(words::VERBS),
        op.summary.to_lowercase()
    );
    for _ in 0..rng.range(0, 2) {
        let s = rng.pick(words::FILLER);
        text.push_str(&s[..1].to_uppercase());
        text.push_str(&s[1..]);
        text.push_str(". ");
    }
    text.push_str("\n\nArgs:\n");
    for p in &op.params {
        text.push_str(&format!("    {p} (str): The {} from the path.\n", title(p)));
    }
    text.push_str("    request (Request): The incoming FastAPI request.\n");
    text.push_str("    db (Session): The database session dependency.\n");
    text.push_str("    user (str): The authenticated user making the request.\n\n");
    text.push_str(
        "Returns:\n    JSONResponse: The result, serialised with the response model.\n\n",
    );
    text.push_str(
        "Raises:\n    HTTPException: If the entity is missing or the caller may not see it.",
    );
    text
}

fn operation(api: &Api, op: &Op, rng: &mut Rng) -> Value {
    let router = &api.routers[op.router];
    let mut params: Vec<Value> = op
        .params
        .iter()
        .map(|p| {
            json!({"name": p, "in": "path", "required": true,
                   "schema": {"type": "string", "title": title(p)}})
        })
        .collect();
    if matches!(op.kind, Kind::List | Kind::ListSlash | Kind::Search) {
        for (name, ty) in [
            ("skip", "integer"),
            ("limit", "integer"),
            ("include_inactive", "boolean"),
        ] {
            params.push(json!({"name": name, "in": "query", "required": false,
                "schema": {"type": ty, "title": title(name), "default": if ty == "integer" { json!(0) } else { json!(false) }},
                "description": format!("{} for the listing", title(name))}));
        }
    }
    params.push(
        json!({"name": "jwt_token", "in": "cookie", "required": false,
        "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Jwt Token"}}),
    );
    let mut o = serde_json::Map::new();
    o.insert("tags".into(), json!([router.tag]));
    o.insert("summary".into(), json!(op.summary));
    o.insert("description".into(), json!(description(rng, op)));
    o.insert("operationId".into(), json!(op.operation_id));
    o.insert("security".into(), json!([{"ConfigurableHTTPBearer": []}]));
    o.insert("parameters".into(), Value::Array(params));
    let read = match api.resources.get(op.resource) {
        Some(res) => {
            let [create, update, read] = schema_names(res);
            if op.has_body() {
                let body = if op.kind == Kind::Create {
                    create
                } else {
                    update
                };
                o.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}}),
                );
            }
            let one = json!({"$ref": format!("#/components/schemas/{read}")});
            if matches!(op.kind, Kind::List | Kind::ListSlash | Kind::Search) {
                json!({"type": "array", "items": one, "title": format!("Response {}", op.summary)})
            } else {
                one
            }
        }
        None => json!({}),
    };
    o.insert(
        "responses".into(),
        json!({
            "200": {"description": "Successful Response", "content": {"application/json": {"schema": read}}},
            "422": {"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}},
        }),
    );
    if rng.chance(3) {
        o.insert("deprecated".into(), json!(true));
    }
    Value::Object(o)
}

struct Components<'a, 'b>(&'b Document<'a>);

impl Serialize for Components<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("schemas", &Schemas(self.0))?;
        map.serialize_entry(
            "securitySchemes",
            &json!({"ConfigurableHTTPBearer": {"type": "http", "scheme": "bearer"}}),
        )?;
        map.end()
    }
}

struct Schemas<'a, 'b>(&'b Document<'a>);

const FIELDS: &[(&str, &str, &str)] = &[
    ("name", "string", "Unique name shown in the admin screens"),
    (
        "description",
        "string",
        "Free text describing what it is for",
    ),
    ("url", "string", "Endpoint URL the gateway forwards to"),
    ("enabled", "boolean", "Whether it takes part in routing"),
    (
        "team_id",
        "string",
        "Team that owns it; null for global entries",
    ),
    ("owner_email", "string", "Email of the user who created it"),
    ("visibility", "string", "One of private, team or public"),
    ("tags", "array", "Free-form labels used for filtering"),
    ("created_at", "string", "Creation timestamp"),
    ("updated_at", "string", "Last update timestamp"),
    (
        "version",
        "integer",
        "Optimistic-locking version, bumped on every write",
    ),
    (
        "metadata",
        "object",
        "Arbitrary key/value pairs kept with the entry",
    ),
    (
        "status",
        "string",
        "Lifecycle status: pending, active or deleting",
    ),
    ("retry_count", "integer", "Number of failed attempts so far"),
    (
        "timeout_seconds",
        "number",
        "Upper bound on one request, in seconds",
    ),
    ("auth_type", "string", "basic, bearer, oauth or none"),
];

fn schema(name_of: &str, props: usize, kind: &str, rng: &mut Rng) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for i in 0..props {
        let (name, ty, desc) = FIELDS[(i * 7 + props) % FIELDS.len()];
        let name = if i >= FIELDS.len() {
            format!("{name}_{i}")
        } else {
            name.to_string()
        };
        let mut field = if kind != "Create" && rng.chance(60) {
            json!({"anyOf": [{"type": ty}, {"type": "null"}]})
        } else {
            json!({"type": ty})
        };
        if ty == "array" {
            field["items"] = json!({"type": "string"});
        }
        if ty == "string" && name.ends_with("_at") {
            field["format"] = json!("date-time");
        }
        field["title"] = json!(title(&name));
        field["description"] = json!(desc);
        if i % 3 == 0 {
            required.push(name.clone());
        }
        properties.insert(name, field);
    }
    json!({"properties": properties, "type": "object", "required": required,
           "title": name_of, "description": format!("{kind} payload. Fields follow the database model; unknown fields are rejected.")})
}

impl Serialize for Schemas<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut rng = Rng::new(self.0.seed ^ 0x5C4E);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(
            "HTTPValidationError",
            &json!({"properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}}, "type": "object", "title": "HTTPValidationError"}),
        )?;
        map.serialize_entry(
            "ValidationError",
            &json!({"properties": {"loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"}, "msg": {"type": "string", "title": "Message"}, "type": {"type": "string", "title": "Error Type"}}, "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError"}),
        )?;
        for res in &self.0.api.resources {
            for (name, kind) in schema_names(res).iter().zip(["Create", "Update", "Read"]) {
                let extra = if kind == "Read" { 4 } else { 0 };
                map.serialize_entry(name, &schema(name, res.props + extra, kind, &mut rng))?;
            }
        }
        map.end()
    }
}
