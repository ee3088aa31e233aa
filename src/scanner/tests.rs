//! One test per construct of real locustfiles: each scans a small source
//! and compares every record, rendered one per line as
//! `line METHOD url?query "name" client <- User.task(kind), ...`
//! (`! reason` for an unresolved URL).

use super::scan_source;
use crate::site::{Client, ReachKind, Scan};

fn render(scan: &Scan) -> Vec<String> {
    scan.sites
        .iter()
        .map(|s| {
            let mut line = format!("{} {}", s.line, s.method.map_or("?", |m| m.as_str()));
            match (&s.url, &s.reason) {
                (Some(u), _) => {
                    line.push(' ');
                    line.push_str(u);
                    if let Some(q) = &s.query {
                        line.push('?');
                        line.push_str(q);
                    }
                }
                (None, Some(r)) => {
                    line.push_str(" ! ");
                    line.push_str(r);
                }
                (None, None) => line.push_str(" !"),
            }
            if let Some(n) = &s.name {
                line.push_str(&format!(" {n:?}"));
            }
            if s.client == Client::Other {
                line.push_str(" other");
            }
            if !s.reached_from.is_empty() {
                let reach: Vec<String> = s
                    .reached_from
                    .iter()
                    .map(|r| {
                        let kind = match r.kind {
                            ReachKind::Task => "",
                            ReachKind::OnStart => "(on_start)",
                            ReachKind::OnStop => "(on_stop)",
                        };
                        format!("{}.{}{kind}", r.user, r.task)
                    })
                    .collect();
                line.push_str(" <- ");
                line.push_str(&reach.join(", "));
            }
            line
        })
        .collect()
}

#[track_caller]
fn check(src: &str, want: &[&str]) -> Scan {
    let scan = scan_source("locustfile.py", src);
    let got = render(&scan);
    assert_eq!(got, want, "\n--- got\n{}\n", got.join("\n"));
    scan
}

const HEAD: &str = "from locust import HttpUser, task, tag\n";

fn user(body: &str) -> String {
    format!("{HEAD}\n\nclass U(HttpUser):\n{body}")
}

// ----- request calls ------------------------------------------------------

#[test]
fn with_statement_and_catch_response() {
    check(
        &user(
            r#"
    @task
    def health(self):
        with self.client.get("/health", name="/health", catch_response=True) as response:
            response.success()
"#,
        ),
        &[r#"8 GET /health "/health" <- U.health"#],
    );
}

#[test]
fn bare_statement_with_fstring_and_suffix_label() {
    check(
        &user(
            r#"
    @task
    def cleanup(self):
        for tid in self.created:
            self.client.delete(f"/tools/{tid}", headers=h, name="/tools/[id] [cleanup]")
"#,
        ),
        &[r#"9 DELETE /tools/{tid} "/tools/[id] [cleanup]" <- U.cleanup"#],
    );
}

#[test]
fn url_on_the_next_line_of_a_seven_line_call() {
    check(
        &user(
            r#"
    @task
    def create(self):
        with self.client.post(
            "/servers",
            json=payload,
            headers=self.auth_headers,
            name="/servers [create]",
            catch_response=True,
        ) as response:
            pass
"#,
        ),
        &[r#"8 POST /servers "/servers [create]" <- U.create"#],
    );
}

#[test]
fn every_verb_and_client_request() {
    check(
        &user(
            r#"
    @task
    def verbs(self):
        self.client.get("/a")
        self.client.post("/b")
        self.client.put("/c")
        self.client.delete("/d")
        self.client.patch("/e")
        self.client.head("/f")
        self.client.options("/g")
        self.client.request("PATCH", "/h")
        self.client.request(method="put", url="/i")
"#,
        ),
        &[
            "8 GET /a <- U.verbs",
            "9 POST /b <- U.verbs",
            "10 PUT /c <- U.verbs",
            "11 DELETE /d <- U.verbs",
            "12 PATCH /e <- U.verbs",
            "13 HEAD /f <- U.verbs",
            "14 OPTIONS /g <- U.verbs",
            "15 PATCH /h <- U.verbs",
            "16 PUT /i <- U.verbs",
        ],
    );
}

#[test]
fn keyword_arguments_splats_comments_and_name_inside_strings() {
    check(
        &user(
            r#"
    @task
    def kw(self):
        self.client.post(
            "/resources",  # the URL
            headers={**self.admin_headers, "HX-Request": "true"},
            # name="/commented"
            json={
                "full_name": "x",
                "name": "not the label",
            },
            data=f"uri={uri}&name=x",
            name="/resources",
        )
"#,
        ),
        &[r#"8 POST /resources "/resources" <- U.kw"#],
    );
}

#[test]
fn helper_sending_the_request_with_label_parameter() {
    check(
        &user(
            r#"
    def _rpc(self, payload, name):
        with self.client.post("/rpc", json=payload, name=name, catch_response=True) as r:
            return r

    @task
    def list_tools(self):
        self._rpc({"method": "tools/list"}, "/rpc tools/list")

    @task
    def list_prompts(self):
        self._rpc({"method": "prompts/list"}, name="/rpc prompts/list")
"#,
        ),
        &[
            r#"7 POST /rpc "/rpc prompts/list" <- U.list_prompts"#,
            r#"7 POST /rpc "/rpc tools/list" <- U.list_tools"#,
        ],
    );
}

#[test]
fn helper_that_only_builds_a_payload_is_not_a_request() {
    check(
        &user(
            r#"
    def _json_rpc_request(self, method, params):
        return {"jsonrpc": "2.0", "method": method, "params": params}

    @task
    def tools(self):
        body = self._json_rpc_request("tools/list", {})
        self.client.post("/rpc", json=body)
"#,
        ),
        &["12 POST /rpc <- U.tools"],
    );
}

#[test]
fn helper_whose_url_is_a_parameter() {
    check(
        &user(
            r#"
    def _fetch(self, url, label=None):
        return self.client.get(url, name=label or url)

    @task
    def tools(self):
        self._fetch("/tools")

    @task
    def servers(self):
        self._fetch("/servers/1", label="/servers/[id]")
"#,
        ),
        &[
            r#"7 GET /servers/1 "/servers/[id]" <- U.servers"#,
            r#"7 GET /tools "/tools" <- U.tools"#,
        ],
    );
}

#[test]
fn method_returning_the_path() {
    check(
        &user(
            r#"
    server_id = "s1"

    def _mcp_path(self):
        return f"/servers/{self.server_id}/mcp"

    @task
    def mcp(self):
        self.client.post(self._mcp_path(), json={})
"#,
        ),
        &["13 POST /servers/s1/mcp <- U.mcp"],
    );
}

#[test]
fn requests_outside_locust_are_other_clients() {
    check(
        r#"
import urllib.request
import httpx
import requests
from locust import HttpUser, task, events

HOST = "http://localhost:8080"


@events.test_start.add_listener
def seed(environment, **kwargs):
    urllib.request.urlopen(f"{HOST}/admin/seed")
    req = urllib.request.Request(f"{environment.host}/admin/reset", method="POST")
    urllib.request.urlopen(req)


class U(HttpUser):
    def on_start(self):
        self._session = requests.Session()
        self._session.post(f"{self.host}/auth/login", json={})
        requests.get("http://localhost:8080/health")
        httpx.delete(HOST + "/sessions/1")

    @task
    def t(self):
        self.client.get("/tools")
"#,
        &[
            "12 GET /admin/seed other",
            "14 POST /admin/reset other",
            "20 POST /auth/login other <- U.on_start(on_start)",
            "21 GET /health other <- U.on_start(on_start)",
            "22 DELETE /sessions/1 other <- U.on_start(on_start)",
            "26 GET /tools <- U.t",
        ],
    );
}

#[test]
fn plain_user_firing_events_is_a_label_only() {
    check(
        r#"
from locust import User, task, events

class McpUser(User):
    @task
    def call(self):
        events.request.fire(request_type="MCP", name="/mcp tools/call", response_time=1)
        self.environment.events.request.fire(request_type="MCP", name="x")
"#,
        &[],
    );
}

#[test]
fn renaming_after_the_fact() {
    check(
        &user(
            r#"
    @task
    def renamed(self):
        with self.client.get("/items/42", catch_response=True) as response:
            response.request_meta["name"] = "/items/[id]"
"#,
        ),
        &[r#"8 GET /items/42 "/items/[id]" <- U.renamed"#],
    );
}

#[test]
fn rename_request_blocks_name_the_requests_inside() {
    check(
        &user(
            r#"
    def _get(self, item):
        self.client.get(f"/items/{item}")

    @task
    def renamed(self):
        with self.client.rename_request("/items/[id]"):
            self._get("1")
            self.client.get("/items/2", name="/explicit")
        self.client.get("/items/3")
"#,
        ),
        &[
            r#"7 GET /items/1 "/items/[id]" <- U.renamed"#,
            r#"13 GET /items/2 "/explicit" <- U.renamed"#,
            "14 GET /items/3 <- U.renamed",
        ],
    );
}

#[test]
fn super_calls_and_module_qualified_locust_names() {
    check(
        r#"
import locust


class Base(locust.HttpUser):
    abstract = True

    def on_start(self):
        self.client.post("/login")


class U(Base):
    def on_start(self):
        super().on_start()
        self.client.get("/me")

    @locust.task
    def t(self):
        self.client.get("/t")
"#,
        &[
            "9 POST /login <- U.on_start(on_start)",
            "15 GET /me <- U.on_start(on_start)",
            "19 GET /t <- U.t",
        ],
    );
}

// ----- URL argument forms -------------------------------------------------

#[test]
fn fstring_placeholders_are_named_after_their_expression() {
    check(
        &user(
            r#"
    @task
    def f(self):
        self.client.get(f"/tools/{tool_id}")
        self.client.get(f"/agents/{self.agent_name}/run")
        self.client.get(f"/x/{uuid.uuid4().hex[:8]}")
        self.client.get(f"/delay/{delay:.1f}")
        self.client.get(f"/users/{user['email']}/roles")
        self.client.get(f"/users/{user["email"]}/teams")
        self.client.get(f"/n/{str(n)}/{len(items)}")
"#,
        ),
        &[
            "8 GET /tools/{tool_id} <- U.f",
            "9 GET /agents/{agent_name}/run <- U.f",
            "10 GET /x/{hex} <- U.f",
            "11 GET /delay/{delay} <- U.f",
            "12 GET /users/{email}/roles <- U.f",
            "13 GET /users/{email}/teams <- U.f",
            "14 GET /n/{n}/{items} <- U.f",
        ],
    );
}

#[test]
fn random_choice_of_literals_gives_one_record_each_with_its_label() {
    check(
        &user(
            r#"
    @task
    def admin(self):
        endpoint = random.choice(["/admin/a", "/admin/b", "/admin/c"])
        self.client.get(endpoint, name=f"{endpoint} [htmx]")
"#,
        ),
        &[
            r#"9 GET /admin/a "/admin/a [htmx]" <- U.admin"#,
            r#"9 GET /admin/b "/admin/b [htmx]" <- U.admin"#,
            r#"9 GET /admin/c "/admin/c [htmx]" <- U.admin"#,
        ],
    );
}

#[test]
fn for_loops_over_literals_constants_and_class_attributes() {
    check(
        r#"
from locust import HttpUser, task
import random

READ_PATHS = ["/a", "/b"]
PAIRS = (("/c", "C"), ("/d", "D"))


class U(HttpUser):
    WRITE = ("/w1", "/w2")

    @task
    def reads(self):
        for path in READ_PATHS:
            self.client.get(path)
        for p in self.WRITE:
            self.client.post(p)
        for path, label in PAIRS:
            self.client.get(path, name=label)
        for x in ["/e"]:
            self.client.delete(x + "/1")
        for verb in ("PUT", "PATCH"):
            self.client.request(verb, "/v")
"#,
        &[
            "15 GET /a <- U.reads",
            "15 GET /b <- U.reads",
            "17 POST /w1 <- U.reads",
            "17 POST /w2 <- U.reads",
            r#"19 GET /c "C" <- U.reads"#,
            r#"19 GET /d "D" <- U.reads"#,
            "21 DELETE /e/1 <- U.reads",
            "23 PUT /v <- U.reads",
            "23 PATCH /v <- U.reads",
        ],
    );
}

#[test]
fn values_known_on_some_branches_keep_the_unknown_ones() {
    check(
        r#"
import os
from locust import HttpUser, task

try:
    BASE = os.environ["BASE"]
except KeyError:
    BASE = "http://localhost:8080"


class U(HttpUser):
    @task
    def t(self):
        tool_id = random.choice(self.created) if self.created else "missing"
        self.client.get(f"/tools/{tool_id}")
        url = "/a"
        if self.flag:
            url = os.environ["URL"]
        self.client.get(url)
        self.client.get(f"{BASE}/b")
"#,
        &[
            "15 GET /tools/missing <- U.t",
            "15 GET /tools/{tool_id} <- U.t",
            "19 GET ! the environment variable `URL` <- U.t",
            "19 GET /a <- U.t",
            "20 GET /b <- U.t",
        ],
    );
}

#[test]
fn base_urls_are_stripped() {
    check(
        r#"
from locust import HttpUser, task
import requests

BASE_URL = "http://localhost:8080"
PATHS = ["/p1"]


class U(HttpUser):
    @task
    def t(self):
        host = self.host
        requests.get(f"{host}/tools")
        for path in PATHS:
            requests.get(f"{BASE_URL}{path}")
        self.client.get("http://localhost:8080/x")
        self.client.get("https://api.example.com:443/y?z=1")
"#,
        &[
            "13 GET /tools other <- U.t",
            "15 GET /p1 other <- U.t",
            "16 GET /x <- U.t",
            "17 GET /y?z=1 <- U.t",
        ],
    );
}

#[test]
fn concatenation_format_and_percent() {
    check(
        &user(
            r#"
    @task
    def t(self):
        self.client.get("/tools/" + tid)
        self.client.get("/tools/{}".format(tid))
        self.client.get("/tools/{0}/x/{name}".format(tid, name=n))
        self.client.get("/tools/%s" % tid)
        self.client.get("/tools/%s/%d" % (tid, 5))
        self.client.get("/a/%(k)s" % {"k": "v"})
        url = "/base"
        url += "/more"
        self.client.get(url)
"#,
        ),
        &[
            "8 GET /tools/{tid} <- U.t",
            "9 GET /tools/{tid} <- U.t",
            "10 GET /tools/{tid}/x/{name} <- U.t",
            "11 GET /tools/{tid} <- U.t",
            "12 GET /tools/{tid}/5 <- U.t",
            "13 GET /a/v <- U.t",
            "16 GET /base/more <- U.t",
        ],
    );
}

#[test]
fn query_strings_and_fragments_are_split_off() {
    check(
        &user(
            r#"
    @task
    def t(self):
        self.client.get("/tools/search?q=test")
        self.client.get(f"/oauth/callback?code={c}&state={s}")
        self.client.get("/docs#section")
"#,
        ),
        &[
            "8 GET /tools/search?q=test <- U.t",
            "9 GET /oauth/callback?code={c}&state={s} <- U.t",
            "10 GET /docs?#section <- U.t",
        ],
    );
}

#[test]
fn values_hard_coded_in_the_path_stay_literal() {
    check(
        &user(
            r#"
    @task
    def t(self):
        self.client.get("/rbac/users/admin@example.com/roles")
        self.client.get("/admin/resources/test/test://sample")
"#,
        ),
        &[
            "8 GET /rbac/users/admin@example.com/roles <- U.t",
            "9 GET /admin/resources/test/test://sample <- U.t",
        ],
    );
}

#[test]
fn unresolvable_urls_are_reported_never_guessed() {
    check(
        r#"
import os
import requests
from locust import HttpUser, task

TARGET = os.environ["TARGET_URL"]


def make_caller(url):
    def call(user):
        user.client.get(url)
    return call


class U(HttpUser):
    def on_start(self):
        self._url = os.getenv("LOGIN_URL")

    @task
    def t(self):
        requests.get(TARGET)
        self.client.get(self._url)
"#,
        &[
            "11 GET ! `url` comes from the enclosing function `make_caller` (a closure)",
            "21 GET ! the environment variable `TARGET_URL` other <- U.t",
            "22 GET ! `self._url` is set at run time <- U.t",
        ],
    );
}

// ----- name= labels -------------------------------------------------------

#[test]
fn labels_that_disagree_with_the_url_are_warned_about() {
    let scan = check(
        &user(
            r#"
    @task
    def t(self):
        self.client.get("/servers/1/tools", name="/servers/[id]/tools")
        self.client.get(f"/tools/{tid}", name="/tools/abc")
        self.client.post("/rpc", name="/rpc tools/list")
        self.client.get("/a/b", name="/a/c [htmx]")
"#,
        ),
        &[
            r#"8 GET /servers/1/tools "/servers/[id]/tools" <- U.t"#,
            r#"9 GET /tools/{tid} "/tools/abc" <- U.t"#,
            r#"10 POST /rpc "/rpc tools/list" <- U.t"#,
            r#"11 GET /a/b "/a/c [htmx]" <- U.t"#,
        ],
    );
    let warned: Vec<(u32, &str)> = scan
        .warnings
        .iter()
        .map(|w| (w.line, w.kind.as_str()))
        .collect();
    assert_eq!(warned, [(9, "label-mismatch"), (11, "label-mismatch")]);
}

// ----- classes and tasks --------------------------------------------------

#[test]
fn users_through_abstract_bases_aliases_and_fasthttp() {
    let scan = check(
        r#"
from locust import HttpUser as H, task
from locust.contrib.fasthttp import FastHttpUser


class Base(H):
    abstract = True
    headers = {}

    def _get(self, path):
        self.client.get(path, headers=self.headers)


class A(Base):
    weight = 5

    @task
    def a(self):
        self._get("/a")


class B(FastHttpUser):
    weight = 0

    @task
    def b(self):
        self.client.get("/b")
        with self.rest("POST", "/b/rest") as r:
            pass


class C(Base):
    weight = some_function()

    @task
    def c(self):
        self._get("/c")
"#,
        &[
            "11 GET /a <- A.a",
            "11 GET /c <- C.c",
            "27 GET /b <- B.b",
            "28 POST /b/rest <- B.b",
        ],
    );
    let users: Vec<(&str, Option<i64>, bool)> = scan
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.weight, u.concrete))
        .collect();
    assert_eq!(
        users,
        [
            ("Base", None, false),
            ("A", Some(5), true),
            ("B", Some(0), true),
            ("C", None, true),
        ]
    );
}

#[test]
fn task_decorators_in_any_form_and_order() {
    check(
        &user(
            r#"
    @task
    def a(self):
        self.client.get("/a")

    @task(3)
    def b(self):
        self.client.get("/b")

    @task(weight=3)
    def c(self):
        self.client.get("/c")

    @tag("x", "y")  # tagged
    @task(2)  # weighted
    def d(self):
        self.client.get("/d")

    @task
    @tag("z")
    def e(self):
        self.client.get("/e")
"#,
        ),
        &[
            "8 GET /a <- U.a",
            "12 GET /b <- U.b",
            "16 GET /c <- U.c",
            "21 GET /d <- U.d",
            "26 GET /e <- U.e",
        ],
    );
}

#[test]
fn hooks_helpers_from_both_and_loops_over_created_ids() {
    check(
        &user(
            r#"
    def on_start(self):
        self.created = []
        self._login()

    def on_stop(self):
        for tid in self.created:
            self.client.delete(f"/tools/{tid}", name="/tools/[id] [cleanup]")
        self._login()

    def _login(self):
        self.client.post("/auth/login")

    @task
    def t(self):
        self._login()
"#,
        ),
        &[
            r#"12 DELETE /tools/{tid} "/tools/[id] [cleanup]" <- U.on_stop(on_stop)"#,
            "16 POST /auth/login <- U.on_start(on_start), U.on_stop(on_stop), U.t",
        ],
    );
}

#[test]
fn same_task_names_in_different_classes_stay_apart() {
    check(
        r#"
from locust import HttpUser, task

class A(HttpUser):
    @task
    def health_check(self):
        self.client.get("/health")

class B(HttpUser):
    @task
    def health_check(self):
        self.client.get("/health")
"#,
        &[
            "7 GET /health <- A.health_check",
            "12 GET /health <- B.health_check",
        ],
    );
}

#[test]
fn tasksets_lists_dicts_nesting_and_shapes() {
    let scan = check(
        r#"
from locust import HttpUser, TaskSet, SequentialTaskSet, LoadTestShape, task


def index(user):
    user.client.get("/")


class Browse(TaskSet):
    @task
    def view(self):
        self.client.get("/items")

    @task
    class Inner(SequentialTaskSet):
        @task
        def step(self):
            self.user.client.get("/inner")

    tasks = {Inner: 1}

    def on_start(self):
        self.client.get("/browse/start")


class Shopper(HttpUser):
    tasks = [Browse, index]


class Mixed(HttpUser):
    tasks = {index: 3}


class Shape(LoadTestShape):
    def tick(self):
        return None
"#,
        &[
            "6 GET / <- Mixed.index, Shopper.index",
            "12 GET /items <- Shopper.Browse.view",
            "18 GET /inner <- Shopper.Inner.step",
            "23 GET /browse/start <- Shopper.Browse.on_start(on_start)",
        ],
    );
    let users: Vec<(&str, bool)> = scan
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.concrete))
        .collect();
    assert_eq!(
        users,
        [("Shopper", true), ("Mixed", true), ("Shape", false)]
    );
}

// ----- traps --------------------------------------------------------------

#[test]
fn docstrings_comments_and_guards_are_not_requests() {
    check(
        r#"
from locust import HttpUser, task


def _available(path):
    return path in ENABLED


class U(HttpUser):
    """Endpoints:

    - GET /tools
    - POST /servers
    """

    @task
    def t(self):
        """GET /tools/{id}"""
        # self.client.get("/removed")
        if not _available("/admin/tools"):
            return
        self.client.get("/admin/tools")
        x = 'self.client.get("/in/a/string")'
"#,
        &["22 GET /admin/tools <- U.t"],
    );
}

#[test]
fn commented_out_task_decorator_leaves_dead_code() {
    check(
        &user(
            r#"
    # @task(2)
    def old(self):
        self.client.get("/old")

    @task
    def new(self):
        self.client.get("/new")
"#,
        ),
        &["8 GET /old", "12 GET /new <- U.new"],
    );
}

#[test]
fn class_names_repeated_across_files_stay_apart() {
    use super::discover::Input;
    let file = |path: &str, text: &str| Input {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
        required: true,
    };
    let scan = super::scan_inputs(vec![
        file(
            "one.py",
            "from locust import HttpUser, task\nclass BaseUser(HttpUser):\n    @task\n    def t(self):\n        self.client.get('/one')\n",
        ),
        file(
            "two.py",
            "from locust import HttpUser, task\nclass BaseUser(HttpUser):\n    @task\n    def t(self):\n        self.client.get('/two')\n",
        ),
    ]);
    let got: Vec<(String, String, String)> = scan
        .sites
        .iter()
        .flat_map(|s| {
            s.reached_from.iter().map(move |r| {
                (
                    s.url.as_deref().unwrap_or_default().to_string(),
                    r.user.to_string(),
                    r.user_file.to_string(),
                )
            })
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "/one".to_string(),
                "BaseUser".to_string(),
                "one.py".to_string()
            ),
            (
                "/two".to_string(),
                "BaseUser".to_string(),
                "two.py".to_string()
            ),
        ]
    );
}

#[test]
fn inheritance_across_files() {
    use super::discover::Input;
    let file = |path: &str, text: &str| Input {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
        required: true,
    };
    let scan = super::scan_inputs(vec![
        file(
            "common.py",
            "from locust import HttpUser\nPREFIX = '/api'\nclass BaseUser(HttpUser):\n    abstract = True\n    def _get(self, p):\n        self.client.get(PREFIX + p)\n",
        ),
        file(
            "locustfile.py",
            "from locust import task\nfrom common import BaseUser\nclass Real(BaseUser):\n    @task\n    def t(self):\n        self._get('/x')\n",
        ),
    ]);
    assert_eq!(render(&scan), ["6 GET /api/x <- Real.t"]);
}

#[test]
fn lexer_errors_are_warnings_and_the_scan_goes_on() {
    let scan = check(
        &user(
            r#"
    @task
    def t(self):
        self.client.get("/ok")
        bad = "unterminated
        self.client.get("/after")
"#,
        ),
        &["8 GET /ok <- U.t", "10 GET /after <- U.t"],
    );
    assert!(scan
        .warnings
        .iter()
        .any(|w| w.kind == "lex-error" && w.line == 9));
}

#[test]
fn recursion_and_deep_helper_chains_terminate() {
    check(
        &user(
            r#"
    def a(self, n):
        self.b(n)

    def b(self, n):
        self.a(n)
        self.client.get(f"/loop/{n}")

    @task
    def t(self):
        self.a(1)
"#,
        ),
        &["11 GET /loop/1 <- U.t"],
    );
}

// ----- hostile input ------------------------------------------------------

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let n = 20_000;
    let cases = [
        "(".repeat(n),
        "[".repeat(n),
        "{".repeat(n),
        format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)),
        format!("x = {}\n", "-".repeat(n)),
        format!("x = {}y\n", "not ".repeat(n)),
        format!("x = {}y\n", "await ".repeat(n)),
        format!("x = {}1\n", "lambda: ".repeat(n)),
        format!("x = {}1\n", "a if b else ".repeat(n)),
        format!("x = a{}\n", ".b".repeat(n)),
        format!("x = a{}\n", "(1)".repeat(n)),
        format!("x = 1{}\n", " + 1".repeat(n)),
        format!("x = 2{}\n", " ** 2".repeat(n)),
        format!("x = f'{}'\n", "{f'".repeat(200)),
        format!("{}\n", "@d\n".repeat(n)),
        (0..300)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect::<String>(),
        (0..300)
            .map(|i| format!("{}def f{i}(self):\n", " ".repeat(i)))
            .collect::<String>(),
    ];
    for text in cases {
        let _ = scan_source("deep.py", &text);
    }
}

#[test]
fn long_inheritance_chains_are_cut_off() {
    let mut src = String::from("from locust import HttpUser, task\nclass C0(HttpUser):\n    @task\n    def t(self):\n        self.client.get('/x')\n");
    for i in 1..20_000 {
        src.push_str(&format!("class C{i}(C{}):\n    pass\n", i - 1));
    }
    let scan = scan_source("chain.py", &src);
    assert!(!scan.sites.is_empty());
}

#[test]
fn exponential_helper_fan_out_is_cut_off() {
    let mut src = String::from("from locust import HttpUser, task\n\nclass U(HttpUser):\n");
    for i in 0..15 {
        src.push_str(&format!("    def h{i}(self, p):\n"));
        for j in 0..8 {
            src.push_str(&format!("        self.h{}(p + '/{j}')\n", i + 1));
        }
    }
    src.push_str("    def h15(self, p):\n        self.client.get(p)\n");
    src.push_str("    @task\n    def t(self):\n        self.h0('')\n");
    let scan = scan_source("fan.py", &src);
    assert!(!scan.sites.is_empty());
}

mod prop {
    use proptest::prelude::*;

    use super::super::discover::Input;
    use super::super::scan_inputs;

    const SAMPLE: &str = include_str!("../../fixtures/locust/locustfile.py");

    fn scan_bytes(bytes: Vec<u8>) {
        let _ = scan_inputs(vec![Input {
            path: "fuzz.py".into(),
            bytes,
            required: true,
        }]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            scan_bytes(bytes);
        }

        #[test]
        fn python_punctuation_soup_never_panics(
            s in "[ \t\n\r()\\[\\]{}:;,.=+%*@#'\"\\\\fbrFBRu0-9a-z_-]{0,400}"
        ) {
            scan_bytes(s.into_bytes());
        }

        #[test]
        fn mangled_locustfiles_never_panic(
            edits in proptest::collection::vec((any::<usize>(), 0usize..40, "[()\\[\\]{}:'\"\n\t #@=,.fx\\\\]{0,6}"), 1..8)
        ) {
            let mut text = SAMPLE.as_bytes().to_vec();
            for (at, del, insert) in edits {
                let at = at % (text.len() + 1);
                let end = (at + del).min(text.len());
                text.splice(at..end, insert.into_bytes());
            }
            scan_bytes(text);
        }
    }
}
