//! The router reader: a FastAPI-style service's source in, its route
//! declarations out ([`Routes`]), and which declaration declares each spec
//! endpoint ([`RouteKnowledge`]).
//!
//! - [`walk`]: which files to read;
//! - [`facts`]: what one file says, from its tokens;
//! - [`resolve`]: files joined by imports, constants, `include_router` and
//!   `mount` into full paths;
//! - [`attribute`]: declarations matched to spec endpoints;
//! - [`template`]: path shapes both sides compare.

pub mod attribute;
pub mod facts;
pub mod resolve;
pub mod template;
pub mod walk;

use std::path::PathBuf;

use anyhow::Context as _;

use crate::diag::Diagnostic;
use crate::name::Name;
use crate::python::lexer::tokenize;
use crate::python::source::{LineIndex, Source};
use crate::python::token::LexErrorKind;
use crate::route::{RouteKnowledge, Routes};
use crate::spec::Spec;

pub use attribute::attribute_indices;

use facts::FileFacts;
use resolve::FileInput;

/// Reads the route declarations of every Python file under `paths`.
///
/// An unreadable path is an error; a file that is not valid Python is read
/// as far as it goes, with a warning.
pub fn read_routes(paths: &[PathBuf]) -> anyhow::Result<Routes> {
    let mut warnings = Vec::new();
    let files = walk::python_files(paths, &mut warnings)?;
    let mut inputs = Vec::with_capacity(files.len());
    // Files are read and tokenized independently, a share per core; the
    // results are joined in file order, so output is as if read one by one.
    let files = files
        .into_iter()
        .map(|file| {
            let named = paths.contains(&file.path);
            (file, named)
        })
        .collect();
    for read in read_files_parallel(files) {
        let (input, file_warnings) = read?;
        inputs.extend(input);
        warnings.extend(file_warnings);
    }
    Ok(resolve_inputs(&inputs, warnings))
}

/// A file's facts (none for a skipped binary file) and its warnings.
type ReadResult = anyhow::Result<(Option<FileInput>, Vec<Diagnostic>)>;

/// Reads every file on up to as many threads as there are cores, each
/// taking a contiguous share; results come back in the order of `files`.
fn read_files_parallel(files: Vec<(walk::SourceFile, bool)>) -> Vec<ReadResult> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    if threads == 1 {
        return files.into_iter().map(read_one).collect();
    }
    let share = files.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut rest = files;
    while rest.len() > share {
        let tail = rest.split_off(share);
        chunks.push(rest);
        rest = tail;
    }
    chunks.push(rest);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(read_one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Reads one file from disk: its facts and its warnings. A binary file is an
/// error when the user named it, and skipped with a warning when a directory
/// walk found it.
fn read_one((file, named): (walk::SourceFile, bool)) -> ReadResult {
    let bytes = std::fs::read(&file.path).with_context(|| {
        format!(
            "--routers: cannot read {}; check its permissions or leave it out",
            file.display
        )
    })?;
    let mut warnings = Vec::new();
    if crate::binary::looks_binary(&bytes) {
        if named {
            anyhow::bail!(
                "{}: not a Python source file (binary data); check --routers",
                file.display
            );
        }
        warnings.push(Diagnostic::new(
            &file.display,
            0,
            0,
            "binary-file",
            "skipped: binary data, not Python source",
        ));
        return Ok((None, warnings));
    }
    let input = read_file(file.display, &bytes, &mut warnings);
    Ok((Some(input), warnings))
}

/// Reads the routes of source files given as (name, text), as if they sat
/// in the working directory under those names.
pub fn read_sources(sources: &[(&str, &str)]) -> Routes {
    let mut warnings = Vec::new();
    let inputs: Vec<FileInput> = sources
        .iter()
        .map(|(name, text)| read_file((*name).to_string(), text.as_bytes(), &mut warnings))
        .collect();
    resolve_inputs(&inputs, warnings)
}

fn resolve_inputs(inputs: &[FileInput], mut warnings: Vec<Diagnostic>) -> Routes {
    let decls = resolve::resolve(inputs, &mut warnings);
    warnings.sort();
    warnings.dedup();
    Routes { decls, warnings }
}

/// Tokenizes one file and reads its facts.
fn read_file(display: String, bytes: &[u8], warnings: &mut Vec<Diagnostic>) -> FileInput {
    let source = Source::from_bytes(bytes);
    let text = source.text.as_str();
    let tokenized = tokenize(text);
    let facts: FileFacts = facts::read(text, tokenized.tokens);
    let lines = LineIndex::new(text);
    if source.invalid_utf8 {
        warnings.push(Diagnostic::new(
            &display,
            0,
            0,
            "invalid-utf8",
            "not UTF-8: bytes that are not were replaced before reading",
        ));
    }
    if let Some(error) = tokenized.errors.first() {
        let (line, column) = lines.line_col(error.range.start);
        warnings.push(Diagnostic::new(
            &display,
            line,
            column,
            "lex-error",
            format!(
                "not valid Python ({}); routes after this point may be missed",
                lex_problem(error.kind)
            ),
        ));
    }
    for note in &facts.notes {
        let (line, column) = lines.line_col(note.offset);
        warnings.push(Diagnostic::new(
            &display,
            line,
            column,
            note.kind,
            &note.message,
        ));
    }
    FileInput {
        display: Name::from(display),
        facts,
        text: source.text,
        lines,
    }
}

fn lex_problem(kind: LexErrorKind) -> &'static str {
    match kind {
        LexErrorKind::UnterminatedString => "a string is not closed",
        LexErrorKind::UnterminatedTripleQuotedString => "a triple-quoted string is not closed",
        LexErrorKind::UnexpectedCharacter => "a character Python does not allow",
        LexErrorKind::InconsistentDedent => "an indentation that matches no outer block",
        LexErrorKind::UnmatchedBracket => "a bracket that does not match",
        LexErrorKind::InvalidUtf8 => "bytes that are not UTF-8",
    }
}

/// What the router reader tells the matcher and the audit about `spec`.
pub fn attribute(routes: &Routes, spec: &Spec) -> RouteKnowledge {
    attribute::attribute(routes, spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Method;

    /// `METHOD path file:line router` per declaration, `...` before an
    /// unknown prefix, `(hidden)` after a hidden one.
    fn listing(sources: &[(&str, &str)]) -> Vec<String> {
        read_sources(sources)
            .decls
            .iter()
            .map(|d| {
                format!(
                    "{} {}{} {}:{} {}{}",
                    d.method,
                    if d.prefix_known { "" } else { "..." },
                    d.path,
                    d.file,
                    d.line,
                    d.router,
                    if d.hidden { " (hidden)" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn include_prefix_then_router_prefix_then_route_path_across_files() {
        let got = listing(&[
            (
                "app/main.py",
                "from fastapi import FastAPI\nfrom .routers import teams as t\napp = FastAPI()\napp.include_router(t.router, prefix=\"/api\")\n",
            ),
            (
                "app/routers/teams.py",
                "router = APIRouter(\n    prefix=\"/teams\",\n    tags=[\"Teams\"],\n)\n\n@router.get(\"/{id}\")\ndef get(id): ...\n",
            ),
        ]);
        assert_eq!(got, ["GET /api/teams/{id} app/routers/teams.py:6 router"]);
    }

    #[test]
    fn from_import_aliases_and_routers_keyed_by_file_and_variable() {
        let got = listing(&[
            (
                "svc/main.py",
                "app = FastAPI()\nfrom svc.a import router as a_router\nfrom .b import router\napp.include_router(a_router)\napp.include_router(router)\n",
            ),
            ("svc/a.py", "router = APIRouter(prefix=\"/a\")\n@router.get(\"/x\")\ndef x(): ...\n"),
            ("svc/b.py", "router = APIRouter(prefix=\"/b\")\n@router.get(\"/x\")\ndef x(): ...\n"),
        ]);
        assert_eq!(
            got,
            ["GET /a/x svc/a.py:2 router", "GET /b/x svc/b.py:2 router"]
        );
    }

    #[test]
    fn plain_imports_and_packages_reexporting_routers() {
        let got = listing(&[
            (
                "main.py",
                "import pkg.sub.mod\nimport pkg.sub as s\nfrom pkg import feature\napp = FastAPI()\napp.include_router(pkg.sub.mod.router, prefix=\"/m\")\napp.include_router(s.router, prefix=\"/s\")\napp.include_router(feature.router, prefix=\"/f\")\n",
            ),
            ("pkg/sub/mod.py", "router = APIRouter()\n@router.get(\"/x\")\ndef x(): ...\n"),
            ("pkg/sub/__init__.py", "from .mod import router\n"),
            ("pkg/__init__.py", "from .feature_impl import router as feature_router\nfrom . import feature\n"),
            ("pkg/feature.py", "from .feature_impl import router\n"),
            ("pkg/feature_impl.py", "router = APIRouter()\n@router.post(\"/y\")\ndef y(): ...\n"),
        ]);
        assert_eq!(
            got,
            [
                "POST /f/y pkg/feature_impl.py:2 router",
                "GET /m/x pkg/sub/mod.py:2 router",
                "GET /s/x pkg/sub/mod.py:2 router",
            ]
        );
    }

    #[test]
    fn nested_inclusion_and_a_router_included_twice() {
        let got = listing(&[
            (
                "main.py",
                "from api import api\napp = FastAPI()\napp.include_router(api, prefix=\"/v1\")\napp.include_router(api, include_in_schema=False)\n",
            ),
            ("api.py", "from admin import admin\napi = APIRouter()\napi.include_router(admin, prefix=\"/admin\")\n"),
            ("admin.py", "admin = APIRouter(prefix=\"/users\")\n@admin.get(\"\")\n@admin.get(\"/\")\ndef users(): ...\n"),
        ]);
        assert_eq!(
            got,
            [
                "GET /admin/users admin.py:2 admin (hidden)",
                "GET /v1/admin/users admin.py:2 admin",
                "GET /admin/users/ admin.py:3 admin (hidden)",
                "GET /v1/admin/users/ admin.py:3 admin",
            ]
        );
    }

    #[test]
    fn includes_inside_a_function_receiving_the_target_router() {
        let got = listing(&[
            (
                "app/main.py",
                "from .setup import register\napp = FastAPI()\nv1 = APIRouter()\ntry:\n    register(v1)\nexcept ImportError:\n    pass\nif True:\n    app.include_router(v1, prefix=\"/v1\")\n",
            ),
            (
                "app/setup.py",
                "def register(target: APIRouter, extra=None):\n    from .items import router as items\n    target.include_router(items, prefix=\"/items\")\n\ndef unused(r):\n    r.include_router(items2)\n",
            ),
            ("app/items.py", "router = APIRouter()\n@router.get(\"/{id}\")\ndef get(id): ...\n"),
        ]);
        assert_eq!(got, ["GET /v1/items/{id} app/items.py:2 router"]);
    }

    #[test]
    fn include_router_by_keyword_with_a_constant_prefix() {
        let got = listing(&[(
            "main.py",
            "V1 = \"/v1\"\napp = FastAPI()\nr = APIRouter()\n@r.delete(path=\"/x/{id}\")\ndef d(id): ...\napp.include_router(router=r, prefix=V1)\n",
        )]);
        assert_eq!(got, ["DELETE /v1/x/{id} main.py:4 r"]);
    }

    #[test]
    fn parameters_passed_around_in_circles_end() {
        let mut src =
            String::from("app = FastAPI()\nr = APIRouter()\n@r.get(\"/x\")\ndef x(): ...\n");
        for i in 0..40 {
            src.push_str(&format!(
                "def f{i}(a, b):\n    f{n}(a, b)\n    f{n}(b, a)\n    a.include_router(b)\n",
                n = (i + 1) % 40
            ));
        }
        src.push_str("f0(app, r)\n");
        // It ends, and finds the one known place among the guesses.
        let got = listing(&[("main.py", &src)]);
        assert!(got.contains(&"GET /x main.py:3 r".to_string()), "{got:?}");
    }

    #[test]
    fn a_prefix_from_a_setting_leaves_the_known_suffix() {
        let routes = read_sources(&[
            (
                "main.py",
                "from settings import settings\nimport plugins\napp = FastAPI()\napp.include_router(plugins.router, prefix=settings.api_prefix)\n",
            ),
            ("plugins.py", "router = APIRouter(prefix=\"/plugins\")\n@router.get(\"/{name}\")\ndef get(name): ...\n"),
        ]);
        assert_eq!(routes.decls.len(), 1);
        assert_eq!(routes.decls[0].path, "/plugins/{name}");
        assert!(!routes.decls[0].prefix_known);
        assert!(routes.warnings.is_empty(), "{:?}", routes.warnings);
    }

    #[test]
    fn constants_a_router_never_included_and_an_app_with_routes() {
        let got = listing(&[
            (
                "a.py",
                "PREFIX = \"/c\"\nr = APIRouter(prefix=PREFIX)\n@r.get(\"/x\")\ndef x(): ...\n",
            ),
            (
                "b.py",
                "app = FastAPI()\n@app.get(\"/health\")\ndef h(): ...\napp.post(\"/init\")(h)\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                "GET .../c/x a.py:3 r",
                "GET /health b.py:2 app",
                "POST /init b.py:4 app",
            ]
        );
    }

    #[test]
    fn prefixes_from_constants_of_other_modules() {
        let got = listing(&[
            (
                "app/config.py",
                "API_PREFIX = \"/api\"\nV1: str = f\"{API_PREFIX}/v1\"\nTEAMS = API_PREFIX + \"/teams\"\nALIAS = V1\nUSERS = f\"{ALIAS}/users\"\n",
            ),
            (
                "app/main.py",
                "from app.config import API_PREFIX, V1 as VERSION\nimport app.config as config\nfrom . import config as cfg\nfrom .routers import a, b, c, d\napp = FastAPI()\napp.include_router(a.router, prefix=API_PREFIX)\napp.include_router(b.router, prefix=f\"{VERSION}/b\")\napp.include_router(c.router, prefix=config.TEAMS)\napp.include_router(d.router, prefix=cfg.USERS + \"/\" + d.SUB)\n",
            ),
            ("app/routers/a.py", "router = APIRouter()\n@router.get(\"/x\")\ndef x(): ...\n"),
            ("app/routers/b.py", "router = APIRouter()\n@router.get(\"/x\")\ndef x(): ...\n"),
            ("app/routers/c.py", "from ..config import API_PREFIX\nrouter = APIRouter()\n@router.get(API_PREFIX + \"/x\")\ndef x(): ...\n"),
            ("app/routers/d.py", "SUB = \"d\"\nrouter = APIRouter(prefix=f\"/{SUB}\")\n@router.get(\"/x\")\ndef x(): ...\n"),
        ]);
        assert_eq!(
            got,
            [
                "GET /api/x app/routers/a.py:2 router",
                "GET /api/v1/b/x app/routers/b.py:2 router",
                "GET /api/teams/api/x app/routers/c.py:3 router",
                "GET /api/v1/users/d/d/x app/routers/d.py:3 router",
            ]
        );
    }

    #[test]
    fn constants_that_cannot_be_read_stay_unknown_and_cycles_end() {
        let mut doubling = String::from("A0 = \"/xxxxxxxx\"\n");
        for i in 1..40 {
            doubling.push_str(&format!("A{i} = A{} + A{}\n", i - 1, i - 1));
        }
        let got = listing(&[
            (
                "main.py",
                "from cycle import P\nfrom doubling import A39\nimport os\napp = FastAPI()\nr1 = APIRouter(prefix=P)\nr2 = APIRouter(prefix=A39)\nr3 = APIRouter(prefix=os.environ.get(\"P\", \"/v1\"))\nr4 = APIRouter(prefix=f\"{NOWHERE}/x\")\nfor r in [r1, r2, r3, r4]:\n    pass\n@r1.get(\"/1\")\ndef a(): ...\n@r2.get(\"/2\")\ndef b(): ...\n@r3.get(\"/3\")\ndef c(): ...\n@r4.get(\"/4\")\ndef d(): ...\n",
            ),
            ("cycle.py", "from other import Q\nP = Q + \"/p\"\n"),
            ("other.py", "from cycle import P\nQ = f\"{P}/q\"\n"),
            ("doubling.py", &doubling),
        ]);
        assert_eq!(
            got,
            [
                "GET .../1 main.py:11 r1",
                "GET .../2 main.py:13 r2",
                "GET .../3 main.py:15 r3",
                "GET .../4 main.py:17 r4",
            ]
        );
    }

    #[test]
    fn a_setting_that_is_a_class_default_is_its_text() {
        let got = listing(&[
            (
                "svc/settings.py",
                "class Settings(BaseSettings):\n    api_prefix: str = \"/v1\"\n    other: str = os.environ.get(\"X\", \"/x\")\n\n    def prefix(self):\n        return self.api_prefix\n\nsettings = Settings()\n",
            ),
            (
                "svc/main.py",
                "from .settings import settings, Settings\napp = FastAPI()\nr = APIRouter()\n@r.get(\"/a\")\ndef a(): ...\napp.include_router(r, prefix=settings.api_prefix)\napp.include_router(r, prefix=Settings().api_prefix + \"/again\")\napp.include_router(r, prefix=settings.other)\napp.include_router(r, prefix=get_settings().api_prefix)\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                "GET .../a svc/main.py:4 r",
                "GET /v1/a svc/main.py:4 r",
                "GET /v1/again/a svc/main.py:4 r",
            ]
        );
    }

    #[test]
    fn mounted_applications_serve_their_routes_under_the_mount_path() {
        let got = listing(&[
            (
                "app/main.py",
                "from fastapi.staticfiles import StaticFiles\nfrom .admin import admin_app\nfrom . import legacy\nBASE = \"/legacy\"\napp = FastAPI()\nsub = FastAPI()\n@sub.get(\"/ping\")\ndef ping(): ...\n@app.get(\"/health\")\ndef health(): ...\napp.mount(\"/sub\", sub)\napp.mount(path=\"/admin\", app=admin_app)\napp.mount(BASE, legacy.app)\napp.mount(\"/static\", StaticFiles(directory=\"static\"), name=\"static\")\nassets = StaticFiles(directory=\"assets\")\napp.mount(\"/assets\", assets)\n",
            ),
            (
                "app/admin.py",
                "from .users import router\nadmin_app = FastAPI()\nadmin_app.include_router(router, prefix=\"/users\")\n@admin_app.get(\"/\")\ndef index(): ...\n",
            ),
            ("app/users.py", "router = APIRouter()\n@router.get(\"/{id}\")\ndef get(id): ...\n"),
            ("app/legacy.py", "app = FastAPI()\n@app.post(\"/old\")\ndef old(): ...\n"),
        ]);
        assert_eq!(
            got,
            [
                "GET /admin/ app/admin.py:4 admin_app",
                "POST /legacy/old app/legacy.py:2 app",
                "GET /sub/ping app/main.py:7 sub",
                "GET /health app/main.py:9 app",
                "GET /admin/users/{id} app/users.py:2 router",
            ]
        );
        let routes = read_sources(&[(
            "main.py",
            "app = FastAPI()\napp.mount(\"/static\", StaticFiles(directory=\"s\"))\napp.mount(\"/x\", nowhere)\n",
        )]);
        assert!(routes.warnings.is_empty(), "{:?}", routes.warnings);
    }

    #[test]
    fn a_sub_application_mounted_where_it_cannot_be_told_keeps_its_suffix() {
        let got = listing(&[(
            "main.py",
            "from settings import settings\napp = FastAPI()\nsub = FastAPI()\n@sub.get(\"/ping\")\ndef ping(): ...\napp.mount(settings.sub_path, sub)\n",
        )]);
        assert_eq!(got, ["GET .../ping main.py:4 sub"]);
    }

    #[test]
    fn routes_on_self_router_in_class_based_views() {
        let got = listing(&[
            (
                "app/views.py",
                "class ToolsView:\n    def __init__(self, service=None):\n        self.service = service\n        self.router = APIRouter(prefix=\"/tools\", tags=[\"Tools\"])\n        self.router.add_api_route(\"/x\", self.list, methods=[\"GET\"])\n        self.router.get(\"/y\")(self.handler)\n        self.router.api_route(\"/z\", methods=[\"PUT\"])(self.put)\n        self._register()\n\n    def _register(self):\n        self.router.add_api_route(\"/w\", self.w, methods=[\"DELETE\"])\n\n    def list(self): ...\n\nclass TeamsView:\n    router = APIRouter(prefix=\"/teams\")\n\n    @router.get(\"/{id}\")\n    def get(self, id): ...\n\nclass Other:\n    def __init__(this):\n        this.router = APIRouter()\n        this.router.get(\"/o\")(this.o)\n",
            ),
            (
                "app/main.py",
                "from .views import ToolsView, TeamsView\nfrom . import views\napp = FastAPI()\napp.include_router(ToolsView().router)\nteams = TeamsView()\napp.include_router(teams.router, prefix=\"/v1\")\nother = views.Other().router\napp.include_router(other, prefix=\"/other\")\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                "GET /tools/x app/views.py:5 ToolsView.router",
                "GET /tools/y app/views.py:6 ToolsView.router",
                "PUT /tools/z app/views.py:7 ToolsView.router",
                "DELETE /tools/w app/views.py:11 ToolsView.router",
                "GET /v1/teams/{id} app/views.py:18 TeamsView.router",
                "GET /other/o app/views.py:24 Other.router",
            ]
        );
    }

    #[test]
    fn a_router_handed_to_a_view_and_a_function_named_mount_are_not_guessed() {
        let got = listing(&[
            (
                "views.py",
                "router = APIRouter(prefix=\"/module\")\nclass V:\n    def __init__(self, router):\n        self.router = router\n        self.router.get(\"/x\")(self.x)\n",
            ),
            (
                "helpers.py",
                "def mount(app, r):\n    app.include_router(r, prefix=\"/m\")\n",
            ),
            (
                "main.py",
                "import helpers\napp = FastAPI()\nr = APIRouter()\n@r.get(\"/y\")\ndef y(): ...\nhelpers.mount(app, r)\n",
            ),
        ]);
        assert_eq!(
            got,
            ["GET /m/y main.py:4 r", "GET .../x views.py:5 V.router"]
        );
    }

    #[test]
    fn routes_added_inside_a_function_to_its_parameter() {
        let got = listing(&[(
            "main.py",
            "def add_routes(r):\n    r.add_api_route(\"/x\", handler, methods=[\"GET\"])\n\n    @r.get(\"/y\")\n    def y(): ...\n\napp = FastAPI()\nsub = APIRouter(prefix=\"/sub\")\nadd_routes(sub)\napp.include_router(sub)\n",
        )]);
        assert_eq!(
            got,
            ["GET /sub/x main.py:2 sub", "GET /sub/y main.py:4 sub"]
        );
    }

    #[test]
    fn unknown_routers_are_warned_about_and_cycles_end() {
        let routes = read_sources(&[
            (
                "main.py",
                "app = FastAPI()\napp.include_router(make_router())\napp.include_router(nowhere.router)\n",
            ),
            ("a.py", "from b import rb\nra = APIRouter(prefix=\"/a\")\nra.include_router(rb)\n@ra.get(\"/x\")\ndef x(): ...\n"),
            ("b.py", "from a import ra\nrb = APIRouter(prefix=\"/b\")\nrb.include_router(ra)\n"),
        ]);
        let kinds: Vec<(&str, u32)> = routes
            .warnings
            .iter()
            .map(|w| (w.kind.as_str(), w.line))
            .collect();
        assert_eq!(kinds, [("include-router", 2), ("include-router", 3)]);
        assert_eq!(routes.decls.len(), 1);
        assert!(!routes.decls[0].prefix_known);
        assert_eq!(routes.decls[0].method, Method::Get);
    }

    #[test]
    fn bad_input_becomes_warnings() {
        let routes = read_sources(&[(
            "bad.py",
            "@app.get(PATH_FROM_ELSEWHERE)\ndef x(): ...\n@app.get(\"/ok\")\ndef ok(): ...\ns = \"unterminated\n",
        )]);
        let kinds: Vec<&str> = routes.warnings.iter().map(|w| w.kind.as_str()).collect();
        assert_eq!(kinds, ["route-path", "lex-error"]);
        assert!(routes.warnings[1]
            .message
            .contains("a string is not closed"));
        assert_eq!(routes.decls.len(), 1);
    }

    #[test]
    fn the_fixture_tree_gives_the_matcher_catch_alls_and_hidden_routes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/service");
        let routes = read_routes(&[root.join("app")]).unwrap();
        let bytes = std::fs::read(root.join("openapi.json")).unwrap();
        let spec = crate::spec::parse(&bytes, "openapi.json").unwrap();
        let knowledge = attribute(&routes, &spec);
        assert_eq!(knowledge.declared.len(), spec.endpoints.len());
        assert_eq!(knowledge.catch_all.len(), spec.endpoints.len());
        let catch_alls: Vec<(&str, &Vec<String>)> = spec
            .endpoints
            .iter()
            .zip(&knowledge.catch_all)
            .filter(|(_, names)| !names.is_empty())
            .map(|(e, names)| (e.path.as_str(), names))
            .collect();
        assert_eq!(
            catch_alls,
            [(
                "/v1/resources/{resource_uri}",
                &vec!["resource_uri".to_string()]
            )]
        );
        let undeclared: Vec<&str> = spec
            .endpoints
            .iter()
            .zip(&knowledge.declared)
            .filter(|(_, d)| d.is_none())
            .map(|(e, _)| e.path.as_str())
            .collect();
        assert_eq!(undeclared, ["/v1/reports/{report_id}"]);
        let hidden: Vec<&str> = knowledge
            .hidden
            .iter()
            .filter(|d| !d.path.starts_with("/v1") || d.path.contains(":path}/"))
            .map(|d| d.path.as_str())
            .take(3)
            .collect();
        assert_eq!(
            hidden,
            ["/favicon.ico", "/admin/stats", "/admin/iam/users/{user_id}"]
        );
        assert_eq!(knowledge.hidden.len(), 17);
        assert!(knowledge
            .hidden
            .iter()
            .any(|d| d.path == "/v1/resources/{root_uri:path}/children"));
    }

    #[test]
    fn deep_nesting_and_long_chains_neither_overflow_nor_stall() {
        let deep = format!(
            "@app.get({}\"/x\"{})\ndef x(): ...\n",
            "(".repeat(50_000),
            ")".repeat(50_000)
        );
        let routes = read_sources(&[("a.py", &deep)]);
        assert_eq!(routes.decls.len(), 1);
        let mut chain = String::from("app = FastAPI()\n");
        for i in 0..2_000 {
            chain.push_str(&format!(
                "r{i} = APIRouter(prefix=\"/p\")\nr{i}.include_router(r{})\n",
                i + 1
            ));
        }
        chain.push_str("app.include_router(r0)\n@r2000.get(\"/x\")\ndef x(): ...\n");
        let routes = read_sources(&[("b.py", &chain)]);
        assert_eq!(routes.decls.len(), 1);
        assert!(!routes.decls[0].prefix_known);
        // A class body with very many names, and constants built from the
        // one before, far deeper than is followed.
        let mut wide = String::from("app = FastAPI()\nC0 = \"/c\"\nclass V:\n");
        for i in 0..50_000 {
            wide.push_str(&format!("    f{i}: str = \"/{i}\"\n"));
        }
        wide.push_str(
            "    router = APIRouter(prefix=f0)\n    @router.get(\"/x\")\n    def x(self): ...\n",
        );
        for i in 1..2_000 {
            wide.push_str(&format!("C{i} = C{} + f\"{{C{}}}\"\n", i - 1, i - 1));
        }
        wide.push_str("app.include_router(V.router, prefix=C1999)\napp.include_router(V().router, prefix=C3)\n");
        let got: Vec<(String, bool)> = read_sources(&[("c.py", &wide)])
            .decls
            .into_iter()
            .map(|d| (d.path, d.prefix_known))
            .collect();
        assert_eq!(
            got,
            [
                ("/0/x".to_string(), false),
                ("/c/c/c/c/c/c/c/c/0/x".to_string(), true)
            ]
        );
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        const FRAGMENTS: &[&str] = &[
            "@",
            "router",
            "app",
            ".",
            "get",
            "post",
            "api_route",
            "include_router",
            "add_api_route",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            "=",
            ":",
            "\"/x\"",
            "'/{id:path}'",
            "f\"/{a}\"",
            "\"\"\"",
            "prefix",
            "methods",
            "include_in_schema",
            "False",
            "APIRouter",
            "FastAPI",
            "from",
            "import",
            ".",
            "as",
            "def",
            "async",
            "\n",
            "    ",
            "\t",
            "#",
            "\\",
            ";",
            "*",
            "**",
            "'",
            "\"",
            "x",
            "1",
            "lambda",
            "->",
            "\r\n",
            "é",
            "\u{0}",
            "mount",
            "class",
            "self",
            "+",
            "f\"{P}/x\"",
            "f'{a.b!r:>{w}}'",
            "P",
            "Settings",
            "()",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn never_panics_on_mangled_python(picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..200)) {
                let text: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
                let _ = read_sources(&[("a/main.py", &text), ("a/b.py", &text)]);
            }

            #[test]
            fn never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
                let _ = read_sources(&[("main.py", &text)]);
            }
        }
    }
}
