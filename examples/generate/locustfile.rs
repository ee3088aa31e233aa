//! Writes a locustfile shaped like a real production suite: an abstract base
//! user with helpers, many user classes whose docstrings list endpoints,
//! `@task`/`@tag` methods issuing mostly multi-line `with self.client.<verb>(`
//! calls with f-strings and `name=` labels, helpers called from tasks, setup
//! traffic through `requests`, and the scanner's traps (docstrings, comments,
//! guards, dead code).

use std::collections::HashSet;
use std::io::{self, Write};

use crate::model::{Api, Kind, Op};
use crate::rng::Rng;
use crate::words::camel;

/// What the generator wrote, for the summary line.
#[derive(Default)]
pub struct Stats {
    pub lines: usize,
    pub bytes: usize,
    pub sites: usize,
    pub classes: usize,
}

pub fn write<W: Write>(
    mut out: W,
    api: &Api,
    sites: usize,
    classes: usize,
    alias: &str,
    seed: u64,
) -> io::Result<Stats> {
    let mut rng = Rng::new(seed ^ 0x10C);
    let targets: Vec<&Op> = api.ops.iter().filter(|op| !op.hidden).collect();
    let hidden: Vec<&Op> = api.ops.iter().filter(|op| op.hidden).collect();
    let lists: Vec<&Op> = targets
        .iter()
        .copied()
        .filter(|op| op.kind == Kind::List && op.params.is_empty())
        .collect();
    let mut w = Writer {
        buf: String::new(),
        alias: alias.to_string(),
        stats: Stats::default(),
    };
    w.header(&lists);
    let classes = classes.max(1);
    for c in 0..classes {
        // Sites of this class: an even share, the remainder to the first ones.
        let n = sites / classes + usize::from(c < sites % classes);
        w.class(api, c, n, &targets, &hidden, &lists, &mut rng);
        w.stats.sites += n;
        w.flush(&mut out)?;
    }
    w.footer();
    w.flush(&mut out)?;
    w.stats.classes = classes;
    Ok(w.stats)
}

struct Writer {
    buf: String,
    alias: String,
    stats: Stats,
}

/// One request a task sends, before it is written.
struct Call {
    method: &'static str,
    /// The URL expression as Python source.
    url: String,
    label: String,
    /// Lines binding locals the URL uses.
    locals: Vec<String>,
    /// The path as documented in the task docstring.
    doc: String,
}

impl Writer {
    fn flush<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.stats.lines += self.buf.matches('\n').count();
        self.stats.bytes += self.buf.len();
        out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }

    fn line(&mut self, indent: usize, text: &str) {
        if !text.is_empty() {
            for _ in 0..indent {
                self.buf.push_str("    ");
            }
            self.buf.push_str(text);
        }
        self.buf.push('\n');
    }

    fn header(&mut self, lists: &[&Op]) {
        let read_paths: Vec<String> = lists
            .iter()
            .take(3)
            .map(|op| format!("\"{}\"", self.call_path(op)))
            .collect();
        let text = format!(
            r#""""Load tests for the gateway API.

Run with:
    locust -f locustfile.py --host http://localhost:4444

Every user class below documents the endpoints it exercises, one per line,
as `- VERB /path`. Docstrings and comments are not requests.
"""

import json
import logging
import os
import random
import uuid

import requests
from locust import HttpUser, LoadTestShape, between, events, tag, task
from locust.contrib.fasthttp import FastHttpUser

logger = logging.getLogger(__name__)

BASE_URL = os.environ.get("GATEWAY_URL", "http://localhost:4444")
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "changeme")
READ_PATHS = [{read}]

_AVAILABLE = set()


def _available(path):
    """Return True when the gateway serves PATH (or when probing failed)."""
    return not _AVAILABLE or path in _AVAILABLE


@events.test_start.add_listener
def _probe_endpoints(environment, **kwargs):
    """Ask the gateway which endpoints it serves: setup traffic, not load."""
    try:
        response = requests.get(f"{{BASE_URL}}/openapi.json", timeout=10)
        for path in response.json().get("paths", {{}}):
            _AVAILABLE.add(path)
    except Exception as exc:  # noqa: BLE001
        logger.warning("probe failed: %s", exc)


def _token():
    response = requests.post(
        f"{{BASE_URL}}/auth/login",
        json={{"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
        timeout=10,
    )
    return response.json().get("access_token", "")


class BaseUser(HttpUser):
    """Shared headers and helpers; holds no tasks."""

    abstract = True
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.auth_headers = {{"Authorization": f"Bearer {{_token()}}"}}
        self.admin_headers = {{**self.auth_headers, "HX-Request": "true"}}
        self.ids = {{}}

    def _rpc_path(self):
        return "/rpc"

    def _json_rpc_request(self, method, params):
        # Builds a payload only: "tools/list" here is not a path.
        return {{"jsonrpc": "2.0", "id": str(uuid.uuid4()), "method": method, "params": params}}

    def _rpc(self, payload, name):
        with self.client.post(
            self._rpc_path(),
            json=payload,
            headers=self.auth_headers,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"rpc failed: {{response.status_code}}")
            elif "error" in response.json():
                response.failure(response.json()["error"].get("message", "rpc error"))
            else:
                response.success()

    def _fetch(self, url, name):
        with self.client.get(url, headers=self.auth_headers, name=name, catch_response=True) as response:
            if response.status_code in (200, 404):
                response.success()
            else:
                response.failure(f"GET {{name}}: {{response.status_code}}")

    def _id(self, key):
        return self.ids.get(key) or "missing"

"#,
            read = read_paths.join(", ")
        );
        self.buf.push_str(&text);
    }

    fn footer(&mut self) {
        self.buf.push_str(
            r#"

class StagesShape(LoadTestShape):
    """Ramp up, hold, ramp down. Not a user."""

    stages = [(60, 10), (300, 50), (360, 0)]

    def tick(self):
        run_time = self.get_run_time()
        for limit, users in self.stages:
            if run_time < limit:
                return (users, max(1, users // 10))
        return None
"#,
        );
    }

    /// The path a load test calls for an operation: the legacy path (the
    /// alias stripped) for most, the spec's own path for a few.
    fn call_path(&self, op: &Op) -> String {
        match op.path.strip_prefix(&self.alias) {
            Some(rest) if !self.alias.is_empty() && rest.starts_with('/') => rest.to_string(),
            _ => op.path.clone(),
        }
    }

    fn call_for(&self, op: &Op, rng: &mut Rng) -> Call {
        let mut path = self.call_path(op);
        if rng.chance(5) {
            path = op.path.clone();
        }
        let doc = path.clone();
        let mut label = String::new();
        let mut locals = Vec::new();
        let mut fmt_args = Vec::new();
        let form = rng.range(0, 99);
        // Build the URL expression and its label segment by segment.
        let mut url = String::new();
        let mut dynamic = false;
        for seg in path.split('/').skip(1) {
            url.push('/');
            label.push('/');
            let mut rest = seg;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
                let name = &rest[open + 1..close];
                url.push_str(&rest[..open]);
                label.push_str(&rest[..open]);
                match name {
                    "format" => {
                        url.push_str("json");
                        label.push_str("json");
                    }
                    "uri" => {
                        url.push_str("test/test://sample");
                        label.push_str("[uri]");
                    }
                    _ if form < 5 => {
                        url.push_str("admin@example.com");
                        label.push_str("[email]");
                    }
                    _ if form < 20 => {
                        url.push_str(&format!("{{self.{name}}}"));
                        label.push_str("[id]");
                        dynamic = true;
                    }
                    _ if form < 25 => {
                        url.push_str("{}");
                        fmt_args.push(name.to_string());
                        label.push_str("[id]");
                        locals.push(format!("{name} = self._id(\"{name}\")"));
                    }
                    _ => {
                        url.push_str(&format!("{{{name}}}"));
                        label.push_str("[id]");
                        dynamic = true;
                        locals.push(format!("{name} = self._id(\"{name}\")"));
                    }
                }
                rest = &rest[(close + 1).min(rest.len())..];
            }
            url.push_str(rest);
            label.push_str(rest);
        }
        if path.ends_with('/') && !url.ends_with('/') {
            url.push('/');
            label.push('/');
        }
        if op.kind == Kind::List && rng.chance(20) {
            url.push_str("?limit=50&include_inactive=true");
        }
        let url = if !fmt_args.is_empty() {
            format!("\"{url}\".format({})", fmt_args.join(", "))
        } else if dynamic {
            format!("f\"{url}\"")
        } else {
            format!("\"{url}\"")
        };
        match op.kind {
            Kind::Create => label.push_str(" [create]"),
            Kind::Update | Kind::Patch => label.push_str(" [update]"),
            Kind::Delete => label.push_str(" [delete]"),
            _ => {}
        }
        locals.dedup();
        Call {
            method: op.method,
            url,
            label,
            locals,
            doc,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn class(
        &mut self,
        api: &Api,
        c: usize,
        sites: usize,
        targets: &[&Op],
        hidden: &[&Op],
        lists: &[&Op],
        rng: &mut Rng,
    ) {
        // Each user class exercises one router mostly, others now and then.
        let r = 1 + c % (api.routers.len() - 1).max(1);
        let router = api.routers.get(r).unwrap_or(&api.routers[0]);
        let own: Vec<&Op> = api.ops[router.ops.clone()]
            .iter()
            .filter(|op| !op.hidden)
            .collect();
        let noun = router.module.clone();
        let round = c / (api.routers.len() - 1).max(1);
        let name = match round {
            0 => format!("{}User", camel(&noun)),
            k => format!("{}User{}", camel(&noun), k + 1),
        };
        let fast = c % 10 == 9;
        // Pick what each site calls.
        let mut calls: Vec<Call> = Vec::with_capacity(sites);
        for _ in 0..sites {
            let roll = rng.range(0, 99);
            let call = if roll < 3 && !hidden.is_empty() {
                self.call_for(rng.pick(hidden), rng)
            } else if roll < 6 {
                Call {
                    method: "GET",
                    url: format!("\"/legacy/{}/status\"", noun.replace('_', "-")),
                    label: format!("/legacy/{} [stale]", noun.replace('_', "-")),
                    locals: Vec::new(),
                    doc: format!("/legacy/{}/status", noun.replace('_', "-")),
                }
            } else if !own.is_empty() && roll < 75 {
                self.call_for(rng.pick(&own), rng)
            } else {
                self.call_for(rng.pick(targets), rng)
            };
            calls.push(call);
        }
        self.line(0, "");
        if fast {
            self.line(0, &format!("class {name}(FastHttpUser):"));
        } else {
            self.line(0, &format!("class {name}(BaseUser):"));
        }
        self.line(
            1,
            &format!("\"\"\"Exercise the {} endpoints.", noun.replace('_', " ")),
        );
        self.line(0, "");
        self.line(1, "Endpoints:");
        for call in &calls {
            let line = format!("- {} {}", call.method, call.doc);
            self.line(1, &line);
        }
        self.line(1, "\"\"\"");
        self.line(0, "");
        self.line(1, &format!("weight = {}", rng.range(0, 5)));
        if fast {
            self.line(1, "wait_time = between(1, 3)");
            self.line(0, "");
            self.line(1, "def on_start(self):");
            self.line(
                2,
                "self.auth_headers = {\"Authorization\": f\"Bearer {_token()}\"}",
            );
            self.line(2, "self.ids = {}");
            self.line(0, "");
            self.line(1, "def _id(self, key):");
            self.line(2, "return self.ids.get(key) or \"missing\"");
        }
        let mut used: HashSet<String> = HashSet::new();
        for (i, call) in calls.iter().enumerate() {
            let style = rng.range(0, 99);
            if i == 0 && !fast && style < 30 {
                self.on_start(call);
                continue;
            }
            let base = format!(
                "{}_{}",
                call.method.to_ascii_lowercase(),
                call.doc
                    .trim_matches('/')
                    .split('/')
                    .map(|s| s.split('{').next().unwrap_or(""))
                    .map(|s| {
                        s.chars()
                            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                            .collect::<String>()
                            .trim_matches('_')
                            .to_string()
                    })
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("_")
            );
            let mut func = base.clone();
            let mut k = 2;
            while !used.insert(func.clone()) {
                func = format!("{base}_{k}");
                k += 1;
            }
            self.task(&func, call, style, fast, lists, rng);
        }
    }

    fn on_start(&mut self, call: &Call) {
        self.line(0, "");
        self.line(1, "def on_start(self):");
        self.line(2, "super().on_start()");
        for l in &call.locals {
            self.line(2, l);
        }
        self.request(2, call, "self.auth_headers", true);
        self.line(3, "if response.status_code in (200, 201):");
        self.line(
            4,
            "self.ids.update(response.json() if isinstance(response.json(), dict) else {})",
        );
        self.line(4, "response.success()");
        self.line(3, "else:");
        self.line(
            4,
            "response.failure(f\"setup failed: {response.status_code}\")",
        );
    }

    fn task(
        &mut self,
        func: &str,
        call: &Call,
        style: usize,
        fast: bool,
        lists: &[&Op],
        rng: &mut Rng,
    ) {
        self.line(0, "");
        if style.is_multiple_of(17) {
            self.line(
                1,
                "# GET /legacy/v0/ping was removed in 2.0; keep the task for old gateways.",
            );
        }
        match rng.range(0, 3) {
            0 => self.line(1, "@task"),
            1 => self.line(1, &format!("@task({})", rng.range(1, 5))),
            2 => self.line(1, &format!("@task(weight={})", rng.range(1, 5))),
            _ => {
                self.line(
                    1,
                    &format!("@tag(\"{}\", \"smoke\")", call.method.to_ascii_lowercase()),
                );
                self.line(1, "@task(2)  # hot path");
            }
        }
        self.line(1, &format!("def {func}(self):"));
        self.line(
            2,
            &format!(
                "\"\"\"{} {}: generated scenario.\"\"\"",
                call.method, call.doc
            ),
        );
        if style % 5 == 1 {
            self.line(2, "if not self.ids:");
            self.line(
                3,
                "# on_start found nothing to work on; a 404 below counts as success.",
            );
            self.line(
                3,
                "logger.debug(\"no ids yet for %s\", type(self).__name__)",
            );
        }
        if style.is_multiple_of(13) {
            let guard = format!("if not _available(\"{}\"):", call.doc);
            self.line(2, &guard);
            self.line(3, "return");
        }
        let headers = if fast {
            "self.auth_headers"
        } else if style.is_multiple_of(5) {
            "self.admin_headers"
        } else {
            "self.auth_headers"
        };
        if !fast
            && style >= 90
            && call.method == "GET"
            && call.locals.is_empty()
            && !call.url.starts_with('f')
        {
            // Through the base class helper: the URL arrives as a parameter.
            self.line(2, &format!("self._fetch({}, \"{}\")", call.url, call.label));
            return;
        }
        if !fast && (85..90).contains(&style) && !lists.is_empty() {
            // One site, several URLs.
            let picks: Vec<String> = (0..3)
                .map(|_| format!("\"{}\"", self.call_path(rng.pick(lists))))
                .collect();
            self.line(
                2,
                &format!("endpoint = random.choice([{}])", picks.join(", ")),
            );
            self.line(2, "with self.client.get(");
            self.line(3, "endpoint,");
            self.line(3, &format!("headers={headers},"));
            self.line(3, "name=f\"{endpoint} [htmx]\",");
            self.line(3, "catch_response=True,");
            self.line(2, ") as response:");
            self.check(3);
            return;
        }
        if !fast && (80..85).contains(&style) && call.method == "POST" {
            let rpc = ["tools/list", "resources/list", "prompts/get", "ping"][style % 4];
            self.line(
                2,
                &format!("payload = self._json_rpc_request(\"{rpc}\", {{}})"),
            );
            self.line(2, &format!("self._rpc(payload, \"/rpc {rpc}\")"));
            return;
        }
        for l in &call.locals {
            self.line(2, l);
        }
        if call.method == "DELETE" && style.is_multiple_of(3) {
            // Bare cleanup statement.
            let text = format!(
                "self.client.delete({}, headers={headers}, name=\"{}\")",
                call.url, call.label
            );
            self.line(2, &text);
            return;
        }
        self.request(2, call, headers, !style.is_multiple_of(6));
        self.check(3);
    }

    fn request(&mut self, indent: usize, call: &Call, headers: &str, multiline: bool) {
        let verb = call.method.to_ascii_lowercase();
        if !multiline {
            let text = format!(
                "with self.client.{verb}({}, name=\"{}\", catch_response=True) as response:",
                call.url, call.label
            );
            self.line(indent, &text);
            return;
        }
        self.line(indent, &format!("with self.client.{verb}("));
        self.line(indent + 1, &format!("{},", call.url));
        if matches!(call.method, "POST" | "PUT" | "PATCH") {
            self.line(indent + 1, "json={");
            self.line(indent + 2, "\"name\": f\"bench-{uuid.uuid4().hex[:8]}\",");
            self.line(
                indent + 2,
                "\"description\": \"created by the load test; name=ignored\",",
            );
            self.line(indent + 1, "},");
        }
        self.line(indent + 1, &format!("headers={headers},"));
        self.line(indent + 1, &format!("name=\"{}\",", call.label));
        self.line(indent + 1, "catch_response=True,");
        self.line(indent, ") as response:");
    }

    fn check(&mut self, indent: usize) {
        self.line(indent, "if response.status_code in (200, 201, 204):");
        self.line(indent + 1, "response.success()");
        self.line(indent, "elif response.status_code == 404:");
        self.line(
            indent + 1,
            "response.success()  # removed by a concurrent user",
        );
        self.line(indent, "else:");
        self.line(
            indent + 1,
            "response.failure(f\"unexpected status {response.status_code}\")",
        );
    }
}
