//! The class hierarchy and who runs what: which classes are Locust users,
//! TaskSets or load shapes (through bases across all scanned files), their
//! method resolution order, their tasks (`@task` methods, `tasks = [...]`
//! and `{fn: n}`, inherited tasks, TaskSets nested in TaskSets), and the
//! roots the evaluator starts from for each concrete user.

use super::ast::{Expr, Stmt, Trailer};
use super::program::{Binding, ClassId, FileId, FuncId, Program};
use crate::site::ReachKind;

/// Deepest chain of base classes followed (real suites use two or three).
const MAX_INHERITANCE: u32 = 64;

/// What a Locust library class makes of the classes deriving from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `User`: the client is whatever the class sets up.
    User,
    /// `HttpUser`, `FastHttpUser`: `self.client` is Locust's HTTP client.
    HttpUser,
    FastHttpUser,
    /// `TaskSet`, `SequentialTaskSet`: `self.client` is the user's.
    TaskSet,
    LoadTestShape,
}

impl Kind {
    fn from_library_name(name: &str) -> Option<Kind> {
        Some(match name {
            "User" | "Locust" => Kind::User,
            "HttpUser" | "HttpLocust" => Kind::HttpUser,
            "FastHttpUser" | "FastHttpLocust" => Kind::FastHttpUser,
            "TaskSet" | "SequentialTaskSet" | "MarkovTaskSet" => Kind::TaskSet,
            "LoadTestShape" => Kind::LoadTestShape,
            _ => return None,
        })
    }

    pub fn is_user(self) -> bool {
        matches!(self, Kind::User | Kind::HttpUser | Kind::FastHttpUser)
    }
}

/// A name in a class body or module, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Class(ClassId),
    Func(FuncId),
    Library(Kind),
    /// `locust.task` (or an alias of it).
    TaskDecorator,
    Unknown,
}

/// A task of a user or TaskSet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskRef {
    Func(FuncId),
    TaskSet(ClassId),
}

/// Where the evaluator starts: a function run with `self` being
/// `self_class` (and `user` behind a TaskSet), reached as `task`/`kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub user: ClassId,
    pub self_class: ClassId,
    pub user_behind: Option<ClassId>,
    pub func: FuncId,
    pub task: String,
    pub kind: ReachKind,
}

/// Bases, MRO, kind and tasks of every class, computed once.
pub struct Hierarchy {
    pub bases: Vec<Vec<Named>>,
    pub mro: Vec<Vec<ClassId>>,
    pub kind: Vec<Option<Kind>>,
    tasks: Vec<Option<Vec<TaskRef>>>,
}

impl Hierarchy {
    pub fn build(prog: &Program<'_>) -> Hierarchy {
        let n = prog.classes.len();
        let bases: Vec<Vec<Named>> = (0..n)
            .map(|c| {
                let class = &prog.classes[c];
                class
                    .def
                    .bases
                    .iter()
                    .map(|b| resolve_expr(prog, class.file, class.outer, b))
                    .collect()
            })
            .collect();
        let mut h = Hierarchy {
            bases,
            mro: vec![Vec::new(); n],
            kind: vec![None; n],
            tasks: vec![None; n],
        };
        let mut state = vec![0u8; n];
        for c in 0..n {
            h.linearize(c, &mut state, 0);
        }
        let mut busy = vec![false; n];
        for c in 0..n {
            h.compute_tasks(prog, c, &mut busy, 0);
        }
        h
    }

    /// Depth-first, left to right, first occurrence kept: Python's MRO for
    /// every hierarchy without diamonds.
    fn linearize(&mut self, c: ClassId, state: &mut [u8], depth: u32) {
        if state.get(c).copied().unwrap_or(2) != 0 || depth > MAX_INHERITANCE {
            return;
        }
        state[c] = 1;
        let mut mro = vec![c];
        let mut kind = None;
        for base in self.bases[c].clone() {
            match base {
                Named::Class(b) => {
                    self.linearize(b, state, depth + 1);
                    for &x in &self.mro[b] {
                        if mro.len() > MAX_INHERITANCE as usize {
                            break;
                        }
                        if !mro.contains(&x) {
                            mro.push(x);
                        }
                    }
                    if kind.is_none() {
                        kind = self.kind[b];
                    }
                }
                Named::Library(k) if kind.is_none() => kind = Some(k),
                _ => {}
            }
        }
        self.mro[c] = mro;
        self.kind[c] = kind;
        state[c] = 2;
    }

    fn compute_tasks(
        &mut self,
        prog: &Program<'_>,
        c: ClassId,
        busy: &mut [bool],
        depth: u32,
    ) -> Vec<TaskRef> {
        if let Some(t) = &self.tasks[c] {
            return t.clone();
        }
        if busy.get(c).copied().unwrap_or(true) || depth > MAX_INHERITANCE {
            return Vec::new();
        }
        busy[c] = true;
        let mut tasks = Vec::new();
        for base in self.bases[c].clone() {
            if let Named::Class(b) = base {
                for t in self.compute_tasks(prog, b, busy, depth + 1) {
                    if !tasks.contains(&t) {
                        tasks.push(t);
                    }
                }
            }
        }
        let class = &prog.classes[c];
        if let Some(list) = class.attrs.get("tasks") {
            let entries: Vec<&Expr<'_>> = match list {
                Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => items.iter().collect(),
                Expr::Dict(items) => items
                    .iter()
                    .filter_map(|i| match i {
                        super::ast::DictItem::Pair(k, _) => Some(k),
                        super::ast::DictItem::Splat(_) => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for e in entries {
                let t = match resolve_in_class(prog, c, e) {
                    Named::Class(ts) => Some(TaskRef::TaskSet(ts)),
                    Named::Func(f) => Some(TaskRef::Func(f)),
                    _ => None,
                };
                if let Some(t) = t {
                    if !tasks.contains(&t) {
                        tasks.push(t);
                    }
                }
            }
        }
        for stmt in class.def.body.iter() {
            if let Stmt::Def(def) = stmt {
                let is_task = def.decorators.iter().any(|d| {
                    let callee = match d {
                        Expr::Postfix(base, trailers)
                            if matches!(trailers.last(), Some(Trailer::Call(_))) =>
                        {
                            let t = trailers.split_last().map_or(&[][..], |(_, t)| t);
                            if t.is_empty() {
                                **base
                            } else {
                                Expr::Postfix(base, t)
                            }
                        }
                        other => *other,
                    };
                    resolve_expr(prog, class.file, None, &callee) == Named::TaskDecorator
                });
                if is_task {
                    if let Some(&f) = prog.func_at.get(&(class.file, def.at)) {
                        let t = TaskRef::Func(f);
                        if !tasks.contains(&t) {
                            tasks.push(t);
                        }
                    }
                }
            }
        }
        busy[c] = false;
        self.tasks[c] = Some(tasks.clone());
        tasks
    }

    pub fn tasks(&self, c: ClassId) -> &[TaskRef] {
        self.tasks.get(c).and_then(|t| t.as_deref()).unwrap_or(&[])
    }

    /// The method `name` as `c` sees it.
    pub fn method(&self, prog: &Program<'_>, c: ClassId, name: &str) -> Option<FuncId> {
        self.mro
            .get(c)?
            .iter()
            .find_map(|&k| prog.classes[k].methods.get(name).copied())
    }

    /// The method `name` found after `after` in the MRO of `c` (`super()`).
    pub fn method_after(
        &self,
        prog: &Program<'_>,
        c: ClassId,
        after: ClassId,
        name: &str,
    ) -> Option<FuncId> {
        let mro = self.mro.get(c)?;
        let start = mro.iter().position(|&k| k == after).map_or(0, |i| i + 1);
        mro.get(start..)?
            .iter()
            .find_map(|&k| prog.classes[k].methods.get(name).copied())
    }

    /// Whether the class is a user Locust would run.
    pub fn is_concrete_user(&self, prog: &Program<'_>, c: ClassId) -> bool {
        self.kind[c].is_some_and(Kind::is_user) && !is_abstract(prog, c)
    }

    /// The roots of a concrete user: its tasks (through TaskSets), then
    /// `on_start` and `on_stop`.
    pub fn roots(&self, prog: &Program<'_>, user: ClassId) -> Vec<Root> {
        let mut roots = Vec::new();
        let mut seen = Vec::new();
        self.class_roots(prog, user, user, None, &mut seen, &mut roots);
        roots
    }

    fn class_roots(
        &self,
        prog: &Program<'_>,
        user: ClassId,
        class: ClassId,
        user_behind: Option<ClassId>,
        seen: &mut Vec<ClassId>,
        roots: &mut Vec<Root>,
    ) {
        if seen.contains(&class) || seen.len() > 32 {
            return;
        }
        seen.push(class);
        let prefix = if user_behind.is_some() {
            format!("{}.", prog.classes[class].def.name)
        } else {
            String::new()
        };
        for &t in self.tasks(class) {
            match t {
                TaskRef::Func(f) => roots.push(Root {
                    user,
                    self_class: class,
                    user_behind,
                    func: f,
                    task: format!("{prefix}{}", prog.funcs[f].def.name),
                    kind: ReachKind::Task,
                }),
                TaskRef::TaskSet(ts) => {
                    self.class_roots(prog, user, ts, Some(user), seen, roots);
                }
            }
        }
        for (hook, kind) in [
            ("on_start", ReachKind::OnStart),
            ("on_stop", ReachKind::OnStop),
        ] {
            if let Some(f) = self.method(prog, class, hook) {
                roots.push(Root {
                    user,
                    self_class: class,
                    user_behind,
                    func: f,
                    task: format!("{prefix}{hook}"),
                    kind,
                });
            }
        }
    }
}

/// `abstract = True` in the class's own body (Locust does not inherit it).
pub fn is_abstract(prog: &Program<'_>, c: ClassId) -> bool {
    matches!(
        prog.classes[c].attrs.get("abstract"),
        Some(Expr::Name("True"))
    )
}

/// The integer literal a class attribute is set to, through the MRO.
pub fn int_attr(prog: &Program<'_>, h: &Hierarchy, c: ClassId, name: &str) -> Option<i64> {
    h.mro
        .get(c)?
        .iter()
        .find_map(|&k| prog.classes[k].attrs.get(name))
        .and_then(|e| e.as_int())
}

/// Resolves a name used in the body of class `c` (`tasks = [view, Browse]`):
/// the class's own functions and nested classes first, then module scope.
fn resolve_in_class(prog: &Program<'_>, c: ClassId, e: &Expr<'_>) -> Named {
    let class = &prog.classes[c];
    if let Expr::Name(n) = e {
        if let Some(&f) = class.methods.get(n) {
            return Named::Func(f);
        }
        if let Some(&k) = class.nested.get(n) {
            return Named::Class(k);
        }
    }
    resolve_expr(prog, class.file, class.outer, e)
}

/// Resolves a (dotted) name in a module, or in the body of class `outer`.
pub fn resolve_expr(
    prog: &Program<'_>,
    file: FileId,
    outer: Option<ClassId>,
    e: &Expr<'_>,
) -> Named {
    let Some(parts) = e.dotted() else {
        return Named::Unknown;
    };
    resolve_dotted(prog, file, outer, &parts, 0)
}

fn resolve_dotted(
    prog: &Program<'_>,
    file: FileId,
    outer: Option<ClassId>,
    parts: &[&str],
    hops: u32,
) -> Named {
    let Some((&first, rest)) = parts.split_first() else {
        return Named::Unknown;
    };
    if hops > 8 {
        return Named::Unknown;
    }
    if let Some(o) = outer {
        let class = &prog.classes[o];
        if let Some(&k) = class.nested.get(first) {
            return nested_path(prog, k, rest);
        }
        if rest.is_empty() {
            if let Some(&f) = class.methods.get(first) {
                return Named::Func(f);
            }
        }
    }
    let Some(info) = prog.files.get(file) else {
        return Named::Unknown;
    };
    match info.names.get(first) {
        Some(Binding::Class(k)) => nested_path(prog, *k, rest),
        Some(Binding::Func(f)) if rest.is_empty() => Named::Func(*f),
        Some(Binding::From(module, name)) => {
            if module.split('.').next() == Some("locust") {
                return library(name, rest);
            }
            let stem = module.rsplit('.').next().unwrap_or(module);
            if let Some(&other) = prog.file_by_module.get(stem) {
                if other != file {
                    let mut path = vec![*name];
                    path.extend_from_slice(rest);
                    return resolve_dotted(prog, other, None, &path, hops + 1);
                }
            }
            by_name(prog, name, rest)
        }
        Some(Binding::Module(module)) => {
            if module.split('.').next() == Some("locust") {
                return rest.last().map_or(Named::Unknown, |n| library(n, &[]));
            }
            let stem = module.rsplit('.').next().unwrap_or(module);
            match prog.file_by_module.get(stem) {
                Some(&other) if other != file => resolve_dotted(prog, other, None, rest, hops + 1),
                _ => Named::Unknown,
            }
        }
        _ => by_name(prog, first, rest),
    }
}

fn library(name: &str, rest: &[&str]) -> Named {
    if !rest.is_empty() {
        return Named::Unknown;
    }
    if name == "task" {
        return Named::TaskDecorator;
    }
    Kind::from_library_name(name).map_or(Named::Unknown, Named::Library)
}

/// A name not bound in the module: a class of that name in another
/// scanned file, or a Locust class used without an import we could read.
fn by_name(prog: &Program<'_>, name: &str, rest: &[&str]) -> Named {
    if let Some(ids) = prog.classes_by_name.get(name) {
        let top: Vec<ClassId> = ids
            .iter()
            .copied()
            .filter(|&k| prog.classes[k].outer.is_none())
            .collect();
        if let [k] = top.as_slice() {
            return nested_path(prog, *k, rest);
        }
    }
    library(name, rest)
}

fn nested_path(prog: &Program<'_>, class: ClassId, rest: &[&str]) -> Named {
    let mut k = class;
    for part in rest {
        match prog.classes[k].nested.get(part) {
            Some(&n) => k = n,
            None => return Named::Unknown,
        }
    }
    Named::Class(k)
}
