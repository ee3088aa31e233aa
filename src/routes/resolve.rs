//! Joins the files' facts into route declarations: follows imports (aliases,
//! re-exports, submodules) to key every router by (file, variable), follows
//! `include_router` edges (also through functions that receive the target
//! router as a parameter) and `mount` edges (a sub-application is served
//! under its mount path, not at the root) up to the application, reads
//! prefixes and paths that are string constants of any file, and writes
//! each route's full path, or the part of it that is known.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostic;
use crate::name::Name;
use crate::python::source::LineIndex;
use crate::route::RouteDecl;

use super::facts::{self, Binding, CallArgs, Dotted, FileFacts, ModRef, Piece, Value, CALL};

/// One read file.
pub struct FileInput {
    /// As reports print it (`app/routers/teams.py`).
    pub display: Name,
    pub facts: FileFacts,
    /// The file's text.
    pub text: String,
    /// Lines and columns of the file's text.
    pub lines: LineIndex,
}

/// How deep name resolution and inclusion may go before giving up (cycles).
const MAX_DEPTH: usize = 32;
/// The most mounts one router may have (a router included twice into a
/// router included twice ... multiplies them).
const MAX_MOUNTS: usize = 256;
/// The longest text a constant may have: a constant built from itself
/// over and over (`A = B + B`, `B = C + C`, ...) stops here, unknown.
const MAX_TEXT: usize = 4096;

/// A prefix as far as it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prefix {
    Known(String),
    Unknown,
}

/// What a name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sym {
    Router(usize),
    /// A module by its key (a file or a package directory).
    Module(String),
    Function(usize, usize),
    /// A class of file `.0`, or an instance of it.
    Class(usize, String),
    /// A constant of file `.0` (a key of its `constants`).
    Const(usize, String),
    /// Parameter `index` of function `func` of file `file`.
    Param {
        file: usize,
        func: usize,
        index: usize,
    },
    Unknown,
}

struct Router {
    name: String,
    is_app: bool,
    prefix: Prefix,
    hidden: bool,
}

/// Router `child` is included into `parent` (`None`: into a router that
/// cannot be told).
struct Edge {
    parent: Option<usize>,
    prefix: Prefix,
    hidden: bool,
    /// `parent.mount(prefix, child)`: the child application is served
    /// there, not at its own root.
    mount: bool,
}

/// Where a router's routes end up: the path prefix (the known part, when
/// `known` is false) and whether that copy is hidden.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mount {
    prefix: String,
    known: bool,
    hidden: bool,
}

struct Program<'a> {
    files: &'a [FileInput],
    /// Module key of each file: its display path without `.py`, without a
    /// trailing `/__init__`.
    keys: Vec<String>,
    /// Whether the file is a package's `__init__.py`.
    packages: Vec<bool>,
    by_key: HashMap<String, usize>,
    /// Every key and every directory above one, by last component.
    by_last: HashMap<String, Vec<String>>,
    known_modules: HashSet<String>,
    routers: Vec<Router>,
    router_ids: HashMap<(usize, String), usize>,
    functions: HashMap<(usize, String), usize>,
    /// Per file, the last binding of each name.
    bindings: Vec<HashMap<String, Binding>>,
    /// Calls of functions that pass routers on, read in full.
    calls: Vec<(usize, CallArgs, Option<usize>)>,
    /// Calls of each function, by index in `calls`.
    fn_calls: HashMap<(usize, usize), Vec<usize>>,
    /// Classes, by file and name.
    classes: HashSet<(usize, String)>,
    /// Values of constants read so far (`None` also while one is being
    /// read, which ends cycles).
    const_memo: RefCell<HashMap<(usize, String), Option<String>>>,
}

/// Resolves every file's routes into declarations, sorted by file, line,
/// method, path.
pub fn resolve(files: &[FileInput], warnings: &mut Vec<Diagnostic>) -> Vec<RouteDecl> {
    let mut program = Program::new(files);
    program.add_routers();
    program.index_calls();
    let edges = program.edges(warnings);
    let mut memo = vec![None; program.routers.len()];
    let mut on_stack = vec![false; program.routers.len()];
    let mut decls = Vec::new();
    for (f, file) in files.iter().enumerate() {
        for site in &file.facts.routes {
            let (line, column) = file.lines.line_col(site.offset);
            let Some(path) = program.text(f, &site.path, site.scope, 0) else {
                warnings.push(not_literal(&file.display, line, column));
                continue;
            };
            let mut targets = Vec::new();
            program.routers_of(f, &site.receiver, site.scope, 0, &mut targets);
            for target in targets {
                let (mounts, router) = match target {
                    Some(r) => (
                        program.mounts(r, &edges, &mut memo, &mut on_stack, 0),
                        program.routers[r].name.clone(),
                    ),
                    None => (
                        vec![Mount {
                            prefix: String::new(),
                            known: false,
                            hidden: false,
                        }],
                        site.receiver.join("."),
                    ),
                };
                for mount in mounts {
                    for &method in &site.methods {
                        decls.push(RouteDecl {
                            method,
                            path: format!("{}{}", mount.prefix, path),
                            prefix_known: mount.known,
                            file: file.display.clone(),
                            line,
                            router: router.clone(),
                            hidden: mount.hidden || site.hidden,
                        });
                    }
                }
            }
        }
    }
    decls.sort_by(|a, b| {
        (
            &a.file,
            a.line,
            a.method,
            &a.path,
            a.hidden,
            a.prefix_known,
            &a.router,
        )
            .cmp(&(
                &b.file,
                b.line,
                b.method,
                &b.path,
                b.hidden,
                b.prefix_known,
                &b.router,
            ))
    });
    decls.dedup();
    decls
}

fn not_literal(file: &str, line: u32, column: u32) -> Diagnostic {
    Diagnostic::new(
        file,
        line,
        column,
        "route-path",
        "the path of this route is not a string literal; route skipped",
    )
}

/// The module key of a display path: `app/routers/teams.py` is
/// `app/routers/teams`, `app/routers/__init__.py` is `app/routers`.
fn module_key(display: &str) -> (String, bool) {
    let stem = display.strip_suffix(".py").unwrap_or(display);
    let stem = stem.trim_start_matches('/');
    if stem == "__init__" {
        return (String::new(), true);
    }
    match stem.strip_suffix("/__init__") {
        Some(package) => (package.to_string(), true),
        None => (stem.to_string(), false),
    }
}

fn last_part(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

impl<'a> Program<'a> {
    fn new(files: &'a [FileInput]) -> Self {
        let mut keys = Vec::new();
        let mut packages = Vec::new();
        let mut by_key = HashMap::new();
        let mut known_modules = HashSet::new();
        for (i, file) in files.iter().enumerate() {
            let (key, package) = module_key(&file.display);
            by_key.entry(key.clone()).or_insert(i);
            let mut dir = key.as_str();
            known_modules.insert(dir.to_string());
            while let Some((parent, _)) = dir.rsplit_once('/') {
                known_modules.insert(parent.to_string());
                dir = parent;
            }
            keys.push(key);
            packages.push(package);
        }
        let mut by_last: HashMap<String, Vec<String>> = HashMap::new();
        let mut sorted: Vec<&String> = known_modules.iter().collect();
        sorted.sort();
        for key in sorted {
            by_last
                .entry(last_part(key).to_string())
                .or_default()
                .push(key.clone());
        }
        let mut functions = HashMap::new();
        let mut bindings = Vec::new();
        let mut classes = HashSet::new();
        for (f, file) in files.iter().enumerate() {
            for class in &file.facts.classes {
                classes.insert((f, class.clone()));
            }
            for (i, def) in file.facts.functions.iter().enumerate() {
                functions.entry((f, def.name.clone())).or_insert(i);
            }
            let mut map = HashMap::new();
            for (name, binding) in &file.facts.bindings {
                map.insert(name.clone(), binding.clone());
            }
            bindings.push(map);
        }
        Program {
            files,
            keys,
            packages,
            by_key,
            by_last,
            known_modules,
            routers: Vec::new(),
            router_ids: HashMap::new(),
            functions,
            bindings,
            calls: Vec::new(),
            fn_calls: HashMap::new(),
            classes,
            const_memo: RefCell::new(HashMap::new()),
        }
    }

    /// Routers created by a constructor, then receivers of routes and
    /// includes that name nothing else (a router made by a factory).
    fn add_routers(&mut self) {
        for (f, file) in self.files.iter().enumerate() {
            for def in &file.facts.routers {
                let prefix = match &def.prefix {
                    None => Prefix::Known(String::new()),
                    Some(value) => self.prefix_value(f, value, None),
                };
                self.add_router(f, &def.name, def.is_app, prefix, def.hidden);
            }
        }
        for (f, file) in self.files.iter().enumerate() {
            let receivers = file
                .facts
                .routes
                .iter()
                .map(|r| (&r.receiver, r.scope))
                .chain(file.facts.includes.iter().map(|i| (&i.receiver, i.scope)));
            for (receiver, scope) in receivers {
                if let [name] = receiver.as_slice() {
                    if self.resolve_name(f, name, scope, 0) == Sym::Unknown {
                        self.add_router(f, name, false, Prefix::Unknown, false);
                    }
                }
            }
        }
    }

    fn add_router(&mut self, file: usize, name: &str, is_app: bool, prefix: Prefix, hidden: bool) {
        let key = (file, name.to_string());
        if self.router_ids.contains_key(&key) {
            return;
        }
        self.router_ids.insert(key, self.routers.len());
        self.routers.push(Router {
            name: name.to_string(),
            is_app,
            prefix,
            hidden,
        });
    }

    fn prefix_value(&self, file: usize, value: &Value, scope: Option<usize>) -> Prefix {
        self.text(file, value, scope, 0)
            .map_or(Prefix::Unknown, Prefix::Known)
    }

    /// The text of a value in `file`, when every name in it is a string
    /// constant that can be read: in the same file, imported from another
    /// (`from app.config import API_PREFIX`, `config.API_PREFIX`), or a
    /// class attribute (`settings.api_prefix` with `settings = Settings()`).
    fn text(
        &self,
        file: usize,
        value: &Value,
        scope: Option<usize>,
        depth: usize,
    ) -> Option<String> {
        match value {
            Value::Str(s) => Some(s.clone()),
            Value::Name(d) => self.constant(file, d, scope, depth),
            Value::Concat(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Str(s) => out.push_str(s),
                        Piece::Name(d) => out.push_str(&self.constant(file, d, scope, depth)?),
                    }
                    if out.len() > MAX_TEXT {
                        return None;
                    }
                }
                Some(out)
            }
            Value::Other => None,
        }
    }

    /// The text of the constant a dotted name stands for.
    fn constant(
        &self,
        file: usize,
        d: &Dotted,
        scope: Option<usize>,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Sym::Const(f, key) = self.resolve_dotted(file, d, scope, depth) else {
            return None;
        };
        let memo_key = (f, key);
        if let Some(done) = self.const_memo.borrow().get(&memo_key) {
            return done.clone();
        }
        self.const_memo.borrow_mut().insert(memo_key.clone(), None);
        let value = self.files[f].facts.constants.get(&memo_key.1)?;
        let text = self
            .text(f, value, None, depth + 1)
            .filter(|t| t.len() <= MAX_TEXT);
        self.const_memo.borrow_mut().insert(memo_key, text.clone());
        text
    }

    /// Reads the calls of functions that pass routers on: a parameter is
    /// a receiver or an included router, or is passed to such a function.
    /// Other calls are never read beyond their callee's name.
    fn index_calls(&mut self) {
        let files = self.files;
        let param_of = |f: usize, scope: Option<usize>, name: Option<&String>| {
            let params = scope.and_then(|s| files[f].facts.functions.get(s));
            params.is_some_and(|def| name.is_some_and(|n| def.params.contains(n)))
        };
        let mut wanted: HashSet<&str> = HashSet::new();
        for (f, file) in files.iter().enumerate() {
            let facts = &file.facts;
            let uses = facts
                .includes
                .iter()
                .flat_map(|i| {
                    let router = i.router.as_ref().and_then(|r| r.first());
                    [(i.scope, i.receiver.first()), (i.scope, router)]
                })
                .chain(facts.routes.iter().map(|r| (r.scope, r.receiver.first())));
            for (scope, name) in uses {
                if param_of(f, scope, name) {
                    if let Some(def) = scope.and_then(|s| facts.functions.get(s)) {
                        wanted.insert(def.name.as_str());
                    }
                }
            }
        }
        let mut read: HashSet<(usize, usize)> = HashSet::new();
        let mut calls = Vec::new();
        while !wanted.is_empty() {
            let mut grew = false;
            for (f, file) in files.iter().enumerate() {
                for (c, call) in file.facts.calls.iter().enumerate() {
                    let last = facts::callee_last(&file.text, call);
                    if !wanted.contains(last) || !read.insert((f, c)) {
                        continue;
                    }
                    let args = facts::call_args(&file.text, call);
                    let passes_param = args
                        .positional
                        .iter()
                        .flatten()
                        .chain(args.keywords.iter().map(|(_, d)| d))
                        .any(|d| param_of(f, call.scope, d.first()));
                    if passes_param {
                        if let Some(def) = call.scope.and_then(|s| file.facts.functions.get(s)) {
                            grew |= wanted.insert(def.name.as_str());
                        }
                    }
                    calls.push((f, args, call.scope));
                }
            }
            if !grew {
                break;
            }
        }
        let mut fn_calls: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (k, (f, args, scope)) in calls.iter().enumerate() {
            if let Sym::Function(ff, func) = self.resolve_dotted(*f, &args.callee, *scope, 0) {
                fn_calls.entry((ff, func)).or_default().push(k);
            }
        }
        self.calls = calls;
        self.fn_calls = fn_calls;
    }

    /// Inclusion edges, per included router.
    fn edges(&self, warnings: &mut Vec<Diagnostic>) -> Vec<Vec<Edge>> {
        let mut edges: Vec<Vec<Edge>> = (0..self.routers.len()).map(|_| Vec::new()).collect();
        for (f, file) in self.files.iter().enumerate() {
            for include in &file.facts.includes {
                let mut children = Vec::new();
                if let Some(router) = &include.router {
                    self.routers_of(f, router, include.scope, 0, &mut children);
                }
                if include.mount {
                    // `helpers.mount(...)`: a call of a function, not of
                    // an application's `mount`.
                    let callee = self.resolve_dotted(f, &include.receiver, include.scope, 0);
                    if matches!(callee, Sym::Module(_) | Sym::Function(..) | Sym::Class(..)) {
                        continue;
                    }
                }
                if children.iter().all(Option::is_none) {
                    if include.mount {
                        // Static files or another ASGI app: no routes.
                        continue;
                    }
                    let (line, column) = file.lines.line_col(include.offset);
                    let what = include.router.as_ref().map_or_else(
                        || "its argument".to_string(),
                        |d| format!("`{}`", facts::show(d)),
                    );
                    warnings.push(Diagnostic::new(
                        &file.display,
                        line,
                        column,
                        "include-router",
                        format!(
                            "cannot tell which router {what} is; its routes keep an unknown prefix"
                        ),
                    ));
                    continue;
                }
                let mut parents = Vec::new();
                self.routers_of(f, &include.receiver, include.scope, 0, &mut parents);
                let prefix = match &include.prefix {
                    None => Prefix::Known(String::new()),
                    Some(value) => self.prefix_value(f, value, include.scope),
                };
                for child in children.iter().flatten() {
                    for &parent in &parents {
                        if let Some(slot) = edges.get_mut(*child) {
                            slot.push(Edge {
                                parent,
                                prefix: prefix.clone(),
                                hidden: include.hidden,
                                mount: include.mount,
                            });
                        }
                    }
                }
            }
        }
        edges
    }

    /// The routers an expression may stand for (`None`: one that cannot be
    /// told). A parameter stands for every router passed to it.
    fn routers_of(
        &self,
        file: usize,
        expr: &Dotted,
        scope: Option<usize>,
        depth: usize,
        out: &mut Vec<Option<usize>>,
    ) {
        self.routers_through(file, expr, scope, depth, out, &mut HashSet::new());
    }

    /// [`Program::routers_of`], expanding each parameter once.
    fn routers_through(
        &self,
        file: usize,
        expr: &Dotted,
        scope: Option<usize>,
        depth: usize,
        out: &mut Vec<Option<usize>>,
        expanded: &mut HashSet<(usize, usize, usize)>,
    ) {
        if depth > MAX_DEPTH {
            out.push(None);
            return;
        }
        match self.resolve_dotted(file, expr, scope, depth) {
            Sym::Router(r) => push_unique(out, Some(r)),
            Sym::Param {
                file: pf,
                func,
                index,
            } => {
                if !expanded.insert((pf, func, index)) {
                    return;
                }
                let name = self.files[pf].facts.functions[func].params.get(index);
                let calls = self
                    .fn_calls
                    .get(&(pf, func))
                    .map_or(&[][..], Vec::as_slice);
                let mut found = false;
                for &k in calls {
                    let Some((cf, call, call_scope)) = self.calls.get(k) else {
                        continue;
                    };
                    let arg = call.positional.get(index).cloned().flatten().or_else(|| {
                        call.keywords
                            .iter()
                            .find(|(kw, _)| Some(kw) == name)
                            .map(|(_, d)| d.clone())
                    });
                    if let Some(arg) = arg {
                        found = true;
                        self.routers_through(*cf, &arg, *call_scope, depth + 1, out, expanded);
                    }
                }
                if !found {
                    push_unique(out, None);
                }
            }
            _ => push_unique(out, None),
        }
    }

    fn resolve_dotted(
        &self,
        file: usize,
        expr: &Dotted,
        scope: Option<usize>,
        depth: usize,
    ) -> Sym {
        let Some((first, rest)) = expr.split_first() else {
            return Sym::Unknown;
        };
        let mut sym = self.resolve_name(file, first, scope, depth);
        for part in rest {
            sym = match sym {
                Sym::Module(key) => self.module_attr(&key, part, depth + 1),
                // `app.router` is the application's own router.
                Sym::Router(r) if part == "router" => Sym::Router(r),
                // `Settings()` is an instance; its attributes are the
                // class's (`ToolsView().router`, `settings.api_prefix`).
                Sym::Class(f, class) if part == CALL => Sym::Class(f, class),
                Sym::Class(f, class) => {
                    self.resolve_name(f, &format!("{class}.{part}"), None, depth + 1)
                }
                _ => Sym::Unknown,
            };
        }
        sym
    }

    /// `name` inside module `key`: a name bound in its file, else a
    /// submodule.
    fn module_attr(&self, key: &str, name: &str, depth: usize) -> Sym {
        if let Some(&f) = self.by_key.get(key) {
            let sym = self.resolve_name(f, name, None, depth);
            if sym != Sym::Unknown {
                return sym;
            }
        }
        let sub = if key.is_empty() {
            name.to_string()
        } else {
            format!("{key}/{name}")
        };
        if self.known_modules.contains(&sub) {
            Sym::Module(sub)
        } else {
            Sym::Unknown
        }
    }

    fn resolve_name(&self, file: usize, name: &str, scope: Option<usize>, depth: usize) -> Sym {
        if depth > MAX_DEPTH {
            return Sym::Unknown;
        }
        let facts = &self.files[file].facts;
        if let Some(func) = scope {
            if let Some(index) = facts
                .functions
                .get(func)
                .and_then(|f| f.params.iter().position(|p| p == name))
            {
                return Sym::Param { file, func, index };
            }
        }
        if let Some(&r) = self.router_ids.get(&(file, name.to_string())) {
            return Sym::Router(r);
        }
        if let Some(&func) = self.functions.get(&(file, name.to_string())) {
            return Sym::Function(file, func);
        }
        if facts.constants.contains_key(name) {
            return Sym::Const(file, name.to_string());
        }
        if self.classes.contains(&(file, name.to_string())) {
            return Sym::Class(file, name.to_string());
        }
        match self.bindings[file].get(name) {
            Some(Binding::Module(m)) => self
                .module_key_of(file, m)
                .map_or(Sym::Unknown, Sym::Module),
            Some(Binding::From(m, n)) => {
                let Some(base) = self.module_key_of(file, m) else {
                    return Sym::Unknown;
                };
                let sub = if base.is_empty() {
                    n.clone()
                } else {
                    format!("{base}/{n}")
                };
                if self.by_key.contains_key(&sub) {
                    return Sym::Module(sub);
                }
                match self.by_key.get(&base) {
                    Some(&target) if target != file => {
                        self.resolve_name(target, n, None, depth + 1)
                    }
                    _ if self.known_modules.contains(&sub) => Sym::Module(sub),
                    _ => Sym::Unknown,
                }
            }
            Some(Binding::Alias(d)) => self.resolve_dotted(file, d, None, depth + 1),
            None if self.packages[file] => {
                let key = &self.keys[file];
                let sub = if key.is_empty() {
                    name.to_string()
                } else {
                    format!("{key}/{name}")
                };
                if self.known_modules.contains(&sub) {
                    Sym::Module(sub)
                } else {
                    Sym::Unknown
                }
            }
            None => Sym::Unknown,
        }
    }

    /// The key of the module an import in `file` names, when it is one of
    /// the read files (or a directory holding some).
    fn module_key_of(&self, file: usize, m: &ModRef) -> Option<String> {
        let joined = m.path.join("/");
        if m.level == 0 {
            if self.known_modules.contains(&joined) {
                return Some(joined);
            }
            let last = m.path.last()?;
            let suffix = format!("/{joined}");
            return self
                .by_last
                .get(last)?
                .iter()
                .find(|k| k.ends_with(&suffix))
                .cloned();
        }
        // The package of `file`, then one level up per extra dot.
        let key = &self.keys[file];
        let mut parts: Vec<&str> = if key.is_empty() {
            Vec::new()
        } else {
            key.split('/').collect()
        };
        if !self.packages[file] {
            parts.pop();
        }
        for _ in 1..m.level {
            parts.pop()?;
        }
        let base = parts.join("/");
        let full = match (base.is_empty(), joined.is_empty()) {
            (true, _) => joined,
            (false, true) => base,
            (false, false) => format!("{base}/{joined}"),
        };
        (self.known_modules.contains(&full) || full.is_empty()).then_some(full)
    }

    /// Every place router `r`'s routes end up, its own prefix included.
    fn mounts(
        &self,
        r: usize,
        edges: &[Vec<Edge>],
        memo: &mut Vec<Option<Vec<Mount>>>,
        on_stack: &mut Vec<bool>,
        depth: usize,
    ) -> Vec<Mount> {
        if let Some(Some(done)) = memo.get(r) {
            return done.clone();
        }
        if on_stack.get(r).copied().unwrap_or(true) || depth > MAX_DEPTH {
            // An inclusion cycle: that way leads nowhere.
            return Vec::new();
        }
        on_stack[r] = true;
        let router = &self.routers[r];
        let mut out = Vec::new();
        // An application is served at the root, unless mounted in another.
        if router.is_app && !edges[r].iter().any(|e| e.mount) {
            out.push(Mount {
                prefix: String::new(),
                known: true,
                hidden: false,
            });
        }
        for edge in &edges[r] {
            let base = match edge.parent {
                Some(p) => self.mounts(p, edges, memo, on_stack, depth + 1),
                None => vec![Mount {
                    prefix: String::new(),
                    known: false,
                    hidden: false,
                }],
            };
            for m in base {
                let (prefix, known) = match &edge.prefix {
                    Prefix::Known(p) => (format!("{}{p}", m.prefix), m.known),
                    Prefix::Unknown => (String::new(), false),
                };
                out.push(Mount {
                    prefix,
                    known,
                    hidden: m.hidden || edge.hidden,
                });
            }
        }
        if out.is_empty() {
            // Never included anywhere we read: mounted somewhere unknown.
            out.push(Mount {
                prefix: String::new(),
                known: false,
                hidden: false,
            });
        }
        for m in &mut out {
            match &router.prefix {
                Prefix::Known(p) => m.prefix.push_str(p),
                Prefix::Unknown => {
                    m.prefix.clear();
                    m.known = false;
                }
            }
            m.hidden |= router.hidden;
        }
        out.sort();
        out.dedup();
        out.truncate(MAX_MOUNTS);
        on_stack[r] = false;
        memo[r] = Some(out.clone());
        out
    }
}

fn push_unique(out: &mut Vec<Option<usize>>, item: Option<usize>) {
    if !out.contains(&item) {
        out.push(item);
    }
}
