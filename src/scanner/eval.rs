//! The evaluator: a small abstract interpreter that walks function bodies
//! in order, tracking what each local, `self` attribute, class attribute
//! and module constant may hold, and records a [`Hit`] for every request
//! it meets, with the URL evaluated to string templates.
//!
//! Calls to the program's own methods (`self._rpc(body, "/rpc x")`) are
//! followed with their argument values, through the MRO of the `self` they
//! run on, memoised by (function, self class, arguments) and cut off at a
//! fixed depth and on recursion. Whatever cannot be known statically is
//! [`Val::Unknown`] with a reason: in an f-string or `+` it becomes a
//! placeholder, as a whole URL it makes the request unresolved.

use super::hash::FastMap;
use std::rc::Rc;

use super::ast::{AugAssign, BinOp, Call, DictItem, Expr, For, FuncDef, Stmt, StrPart, Trailer};
use super::program::{Binding, ClassId, FileId, FuncId, Program};
use super::url::{self, Finished};
use super::users::{Hierarchy, Kind};
use super::value::{concat, name_from_text, Alt, Obj, Piece, Val, MAX_ALTS};

/// `(binding, choice)` tags of one alternative.
type Tags = Vec<(u32, u32)>;
/// Named arguments as string alternatives.
type NamedAlts = Vec<(String, Vec<Alt>)>;
use crate::method::Method;
use crate::site::Client;

/// Deepest chain of calls into the program's own functions followed.
pub const MAX_CALL_DEPTH: usize = 12;

/// Most function evaluations (memo misses) spent on one root: enough for
/// any real suite, and a bound on hostile fan-out.
pub const ROOT_FUEL: u32 = 20_000;

/// One request as evaluated in one context.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hit {
    pub file: FileId,
    /// Offset of the call expression.
    pub at: u32,
    pub method: Option<Method>,
    pub url: Finished,
    pub name: Option<String>,
    pub client: Client,
}

/// What evaluating a function gives: the requests it sends (directly or
/// through calls) and what it returns.
#[derive(Debug, Default)]
pub struct FnResult {
    pub hits: Vec<Hit>,
    pub ret: Option<Val>,
}

/// Where `self` points while evaluating a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SelfCtx {
    pub class: ClassId,
    /// The user a TaskSet runs for.
    pub user: Option<ClassId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MemoKey {
    func: FuncId,
    this: Option<SelfCtx>,
    bind_self: bool,
    args: Vec<Val>,
    kwargs: Vec<(String, Val)>,
}

/// Bindings of a function body: `(false, name)` for locals, `(true, attr)`
/// for attributes assigned on `self`.
type Env<'a> = FastMap<(bool, &'a str), Val>;

struct Frame<'a> {
    file: FileId,
    this: Option<SelfCtx>,
    func: Option<FuncId>,
    /// The class whose body is being evaluated (class attributes).
    class_scope: Option<ClassId>,
    env: Env<'a>,
    /// Bindings of the enclosing function, for a closure called from it.
    outer: Option<Rc<Env<'a>>>,
    hits: Vec<Hit>,
    ret: Option<Val>,
}

impl Frame<'_> {
    fn new(file: FileId, this: Option<SelfCtx>, func: Option<FuncId>) -> Self {
        Frame {
            file,
            this,
            func,
            class_scope: None,
            env: FastMap::default(),
            outer: None,
            hits: Vec::new(),
            ret: None,
        }
    }
}

pub struct Evaluator<'p, 'a> {
    prog: &'p Program<'a>,
    h: &'p Hierarchy,
    memo: FastMap<MemoKey, Rc<FnResult>>,
    stack: Vec<(FuncId, Option<SelfCtx>)>,
    /// Functions evaluated at least once outside scratch evaluation.
    pub entered: Vec<bool>,
    /// Above zero while evaluating a constant or attribute: requests found
    /// there are dropped and functions are not marked entered.
    scratch: u32,
    /// Function evaluations left for the current root.
    fuel: u32,
    next_tag: u32,
    attr_memo: FastMap<(SelfCtx, &'a str), Val>,
    const_memo: FastMap<(FileId, &'a str), Val>,
}

const VERBS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("post", Method::Post),
    ("put", Method::Put),
    ("delete", Method::Delete),
    ("patch", Method::Patch),
    ("head", Method::Head),
    ("options", Method::Options),
];

/// Libraries whose module-level functions send requests.
const HTTP_MODULES: &[&str] = &["requests", "httpx", "requests.api"];

/// Constructors of HTTP sessions that are not Locust's.
const SESSIONS: &[&str] = &[
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
    "urllib3.PoolManager",
];

fn verb(name: &str) -> Option<Method> {
    VERBS.iter().find(|(v, _)| *v == name).map(|(_, m)| *m)
}

/// How the method of a request is given.
enum MethodArg {
    Fixed(Method),
    /// The argument at this position or keyword.
    Arg(usize, &'static str),
}

impl<'p, 'a> Evaluator<'p, 'a> {
    pub fn new(prog: &'p Program<'a>, h: &'p Hierarchy) -> Self {
        Evaluator {
            prog,
            h,
            memo: FastMap::default(),
            stack: Vec::new(),
            entered: vec![false; prog.funcs.len()],
            scratch: 0,
            fuel: ROOT_FUEL,
            next_tag: 0,
            attr_memo: FastMap::default(),
            const_memo: FastMap::default(),
        }
    }

    /// Evaluates a function as a root: `self` bound to `this` (when given),
    /// every other parameter unknown unless it has a default.
    pub fn run_root(
        &mut self,
        func: FuncId,
        this: Option<SelfCtx>,
        bind_self: bool,
    ) -> Rc<FnResult> {
        self.fuel = ROOT_FUEL;
        self.call_function(func, this, bind_self, Vec::new(), Vec::new(), None)
    }

    /// Evaluates a module's top-level statements.
    pub fn run_module(&mut self, file: FileId) -> Vec<Hit> {
        let Some(info) = self.prog.files.get(file) else {
            return Vec::new();
        };
        let mut f = Frame::new(file, None, None);
        self.exec_block(&mut f, info.body);
        f.hits
    }

    // ----- functions ----------------------------------------------------

    fn call_function(
        &mut self,
        func: FuncId,
        this: Option<SelfCtx>,
        bind_self: bool,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        outer: Option<Rc<Env<'a>>>,
    ) -> Rc<FnResult> {
        let Some(info) = self.prog.funcs.get(func) else {
            return Rc::default();
        };
        if self.stack.len() >= MAX_CALL_DEPTH || self.stack.contains(&(func, this)) {
            return Rc::new(FnResult {
                hits: Vec::new(),
                ret: Some(Val::unknown("the value comes from a recursive call")),
            });
        }
        if self.scratch == 0 {
            if let Some(e) = self.entered.get_mut(func) {
                *e = true;
            }
        }
        // A root's result is used once: memoising it only costs memory.
        let is_root = self.stack.is_empty() && self.scratch == 0;
        // The arguments move into the memo key; they are copied only when
        // the call is not memoised yet and its body has to run.
        let (key, args, kwargs) = if outer.is_none() && !is_root {
            let k = MemoKey {
                func,
                this,
                bind_self,
                args,
                kwargs,
            };
            if let Some(r) = self.memo.get(&k) {
                return Rc::clone(r);
            }
            let (a, kw) = (k.args.clone(), k.kwargs.clone());
            (Some(k), a, kw)
        } else {
            (None, args, kwargs)
        };
        if self.fuel == 0 {
            return Rc::new(FnResult {
                hits: Vec::new(),
                ret: Some(Val::unknown("too many calls to follow")),
            });
        }
        self.fuel -= 1;
        let def: &'a FuncDef<'a> = info.def;
        let mut f = Frame::new(info.file, this, Some(func));
        f.outer = outer;
        self.bind_params(&mut f, def, bind_self, args, kwargs);
        self.stack.push((func, this));
        self.exec_block(&mut f, def.body);
        self.stack.pop();
        let mut hits = f.hits;
        if hits.len() > 1 {
            // First occurrence kept; the set borrows the hits, no copies.
            let keep: Vec<bool> = {
                let mut seen = super::hash::FastSet::default();
                hits.iter().map(|h| seen.insert(h)).collect()
            };
            let mut keep = keep.into_iter();
            hits.retain(|_| keep.next().unwrap_or(true));
        }
        let result = Rc::new(FnResult { hits, ret: f.ret });
        if let Some(k) = key {
            self.memo.insert(k, Rc::clone(&result));
        }
        result
    }

    fn bind_params(
        &mut self,
        f: &mut Frame<'a>,
        def: &'a FuncDef<'a>,
        bind_self: bool,
        args: Vec<Val>,
        mut kwargs: Vec<(String, Val)>,
    ) {
        let is_static = def
            .decorators
            .iter()
            .any(|d| d.as_name() == Some("staticmethod"));
        let mut args = args.into_iter();
        for (i, p) in def.params.iter().enumerate() {
            if i == 0 && bind_self && !is_static && !p.star {
                f.env.insert((false, p.name), Val::Obj(Obj::SelfRef));
                continue;
            }
            if p.star {
                f.env
                    .insert((false, p.name), Val::unknown("extra arguments"));
                continue;
            }
            let v = if let Some(v) = args.next() {
                v
            } else if let Some(pos) = kwargs.iter().position(|(k, _)| k == p.name) {
                kwargs.swap_remove(pos).1
            } else if let Some(d) = &p.default {
                self.scratch += 1;
                let v = self.eval(f, d);
                self.scratch -= 1;
                v
            } else {
                Val::Param(Rc::from(format!(
                    "`{}` is a parameter of `{}` and no caller passes a value",
                    p.name, def.name
                )))
            };
            f.env.insert((false, p.name), v);
        }
    }

    // ----- statements ---------------------------------------------------

    fn exec_block(&mut self, f: &mut Frame<'a>, body: &'a [Stmt<'a>]) {
        for stmt in body {
            self.exec(f, stmt);
        }
    }

    fn exec(&mut self, f: &mut Frame<'a>, stmt: &'a Stmt<'a>) {
        match stmt {
            Stmt::Expr(e) => self.effect(f, e),
            Stmt::Assign { targets, value } => {
                let v = self.eval(f, value);
                for t in targets.iter() {
                    self.bind(f, t, v.clone());
                }
            }
            Stmt::AugAssign(AugAssign { target, op, value }) => {
                let cur = self.eval(f, target);
                let v = self.eval(f, value);
                let new = self.binop(f, cur, target, *op, v, value);
                self.bind(f, target, new);
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(f, e),
                    None => Val::None,
                };
                f.ret = Some(match f.ret.take() {
                    Some(prev) => prev.union(v),
                    None => v,
                });
            }
            Stmt::If(branches) if !branches.iter().any(|(_, b)| binds(b)) => {
                for (test, body) in branches.iter() {
                    if let Some(t) = test {
                        self.eval(f, t);
                    }
                    self.exec_block(f, body);
                }
            }
            Stmt::If(branches) => {
                let mut base = std::mem::take(&mut f.env);
                let mut merged: Option<Env<'a>> = None;
                let mut has_else = false;
                let last = branches.len().saturating_sub(1);
                for (i, (test, body)) in branches.iter().enumerate() {
                    // An `else` comes last and needs the bindings no more
                    // afterwards: it takes them instead of a copy.
                    f.env = if i == last && test.is_none() {
                        std::mem::take(&mut base)
                    } else {
                        base.clone()
                    };
                    match test {
                        Some(t) => {
                            self.eval(f, t);
                        }
                        None => has_else = true,
                    }
                    self.exec_block(f, body);
                    let env = std::mem::take(&mut f.env);
                    merged = Some(match merged {
                        Some(m) => merge_env(m, env),
                        None => env,
                    });
                }
                let mut env = merged.unwrap_or_default();
                if !has_else {
                    env = merge_env(env, base);
                }
                f.env = env;
            }
            Stmt::For(For {
                target,
                iter,
                body,
                orelse,
            }) => {
                let it = self.eval(f, iter);
                let v = self.element_of(it, iter);
                self.bind(f, target, v);
                self.exec_block(f, body);
                self.exec_block(f, orelse);
            }
            Stmt::While { body, orelse } => {
                self.exec_block(f, body);
                self.exec_block(f, orelse);
            }
            Stmt::With { items, body } => {
                let mut rename = None;
                for (ctx, target) in items.iter() {
                    let v = self.eval(f, ctx);
                    if let Val::Obj(Obj::Rename(label)) = &v {
                        rename = Some(label.clone());
                    }
                    if let Some(t) = target {
                        self.bind(f, t, v);
                    }
                }
                let start = f.hits.len();
                self.exec_block(f, body);
                if let Some(label) = rename {
                    for hit in f.hits.iter_mut().skip(start) {
                        if hit.name.is_none() {
                            hit.name.clone_from(&label);
                        }
                    }
                }
            }
            Stmt::Try(parts) => {
                for p in parts.iter() {
                    self.exec_block(f, p);
                }
            }
            Stmt::Block(b) => self.exec_block(f, b),
            Stmt::Def(def) => {
                if f.func.is_some() {
                    if let Some(&id) = self.prog.func_at.get(&(f.file, def.at)) {
                        f.env.insert((false, def.name), Val::Obj(Obj::Local(id)));
                    }
                }
            }
            Stmt::Import(items) => {
                if f.func.is_some() {
                    for (module, bound) in items.iter() {
                        let first = module.split('.').next().unwrap_or(module);
                        let target = if *bound == first { first } else { module };
                        f.env
                            .insert((false, bound), Val::Obj(Obj::Path(Rc::from(target))));
                    }
                }
            }
            Stmt::ImportFrom { module, names } => {
                if f.func.is_some() {
                    for (name, alias) in names.iter() {
                        f.env.insert(
                            (false, alias),
                            Val::Obj(Obj::Path(Rc::from(format!("{module}.{name}")))),
                        );
                    }
                }
            }
            Stmt::Class(_) | Stmt::Other => {}
        }
    }

    /// Assigns `v` to an assignment target.
    fn bind(&mut self, f: &mut Frame<'a>, target: &'a Expr<'a>, v: Val) {
        match target {
            Expr::Name(n) => {
                f.env.insert((false, n), v.named(n));
            }
            Expr::Tuple(items) | Expr::List(items) => match v {
                Val::Seq(vals) if vals.len() == items.len() => {
                    for (t, x) in items.iter().zip(vals) {
                        self.bind(f, t, x);
                    }
                }
                other => {
                    let reason = other
                        .reason()
                        .unwrap_or("the value is unpacked at run time")
                        .to_string();
                    for t in items.iter() {
                        self.bind(f, t, Val::unknown(reason.clone()));
                    }
                }
            },
            Expr::Starred(inner) => self.bind(f, inner, Val::unknown("extra values")),
            Expr::Postfix(base, trailers) => {
                let Some((last, prefix)) = trailers.split_last() else {
                    return;
                };
                match last {
                    Trailer::Attr(attr) => {
                        let owner = self.eval_postfix(f, base, prefix);
                        if owner == Val::Obj(Obj::SelfRef) {
                            f.env.insert((true, attr), v.named(attr));
                        }
                    }
                    Trailer::Index(key) => {
                        let owner = self.eval_postfix(f, base, prefix);
                        let key = self.eval(f, key);
                        if let (Val::Obj(Obj::Response(hits)), Some(k)) = (&owner, literal(&key)) {
                            if k == "name" {
                                let name = v.as_alts().and_then(|a| a.first().map(Alt::render));
                                for &i in hits {
                                    if let Some(hit) = f.hits.get_mut(i) {
                                        hit.name = name.clone();
                                    }
                                }
                            }
                        }
                    }
                    Trailer::Call(_) => {}
                }
            }
            _ => {}
        }
    }

    /// The value a loop variable takes over `it`: every element, each
    /// tagged with its choice so that values built from it pair up.
    fn element_of(&mut self, it: Val, iter: &Expr<'a>) -> Val {
        let elements = match it {
            Val::Seq(items) => items,
            Val::Dict(pairs) => pairs.into_iter().map(|(k, _)| k).collect(),
            other => {
                return Val::unknown(match other.reason() {
                    Some(r) => r.to_string(),
                    None => format!(
                        "the loop over `{}` is known only at run time",
                        expr_label(iter)
                    ),
                })
            }
        };
        self.choose(elements)
    }

    /// One of `elements`, tagged with a fresh binding.
    fn choose(&mut self, elements: Vec<Val>) -> Val {
        if elements.is_empty() {
            return Val::unknown("an empty collection");
        }
        if elements.len() > MAX_ALTS {
            return Val::unknown("too many possible values");
        }
        let tag = self.next_tag;
        self.next_tag = self.next_tag.wrapping_add(1);
        combine(
            elements
                .into_iter()
                .enumerate()
                .map(|(i, v)| v.tagged(tag, i as u32))
                .collect(),
        )
    }

    // ----- expressions --------------------------------------------------

    fn eval(&mut self, f: &mut Frame<'a>, e: &'a Expr<'a>) -> Val {
        match e {
            Expr::Name(n) => self.lookup(f, n),
            Expr::Num(n) => Val::Num(n.to_string()),
            Expr::Str(parts) => self.eval_str(f, parts),
            Expr::Bytes => Val::unknown("a bytes value"),
            Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items.iter() {
                    if let Expr::Starred(inner) = i {
                        match self.eval(f, inner) {
                            Val::Seq(vals) => out.extend(vals),
                            other => out.push(other),
                        }
                    } else {
                        out.push(self.eval(f, i));
                    }
                }
                Val::Seq(out)
            }
            Expr::Dict(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item {
                        DictItem::Pair(k, v) => {
                            let k = self.eval(f, k);
                            let v = self.eval(f, v);
                            out.push((k, v));
                        }
                        DictItem::Splat(x) => {
                            if let Val::Dict(pairs) = self.eval(f, x) {
                                out.extend(pairs);
                            }
                        }
                    }
                }
                Val::Dict(out)
            }
            Expr::Postfix(base, trailers) => self.eval_postfix(f, base, trailers),
            Expr::Binary(first, rest) => {
                let mut acc = self.eval(f, first);
                let mut acc_expr: &'a Expr<'a> = first;
                for (op, x) in rest.iter() {
                    let v = self.eval(f, x);
                    acc = self.binop(f, acc, acc_expr, *op, v, x);
                    acc_expr = e;
                }
                acc
            }
            Expr::Or(items) => {
                // `a or b`: the first operand known to be truthy ends it;
                // operands known only at run time may or may not.
                let mut out: Option<Val> = None;
                for i in items.iter() {
                    let v = self.eval(f, i);
                    let truthy = match &v {
                        Val::Str(alts) => alts.iter().all(|a| !a.pieces.is_empty()),
                        Val::Seq(items) => !items.is_empty(),
                        Val::Obj(_) => true,
                        _ => false,
                    };
                    let falsy = match &v {
                        Val::None => true,
                        Val::Str(alts) => alts.iter().all(|a| a.pieces.is_empty()),
                        Val::Num(n) => n == "0" || n == "False",
                        _ => false,
                    };
                    if falsy {
                        continue;
                    }
                    out = Some(match out {
                        None => v,
                        Some(prev) => prev.union(v),
                    });
                    if truthy {
                        break;
                    }
                }
                out.unwrap_or(Val::None)
            }
            Expr::And(items) => {
                let mut out = Val::None;
                for i in items.iter() {
                    out = self.eval(f, i);
                }
                out
            }
            Expr::IfElse(parts) => {
                let [body, test, orelse] = &**parts;
                self.eval(f, test);
                let a = self.eval(f, body);
                let b = self.eval(f, orelse);
                a.union(b)
            }
            Expr::Starred(inner) => self.eval(f, inner),
            Expr::Comp(comp) => {
                let saved = f.env.clone();
                for (target, iter) in comp.clauses.iter() {
                    let it = self.eval(f, iter);
                    let v = self.element_of(it, iter);
                    self.bind(f, target, v);
                }
                for c in comp.conds.iter() {
                    self.eval(f, c);
                }
                let elt = self.eval(f, &comp.elt);
                f.env = saved;
                match elt {
                    Val::Str(_) | Val::Num(_) => Val::Seq(vec![elt]),
                    _ => Val::unknown("a comprehension"),
                }
            }
            Expr::Other(children) => {
                for c in children.iter() {
                    self.eval(f, c);
                }
                Val::unknown("the value is computed at run time")
            }
        }
    }

    fn eval_str(&mut self, f: &mut Frame<'a>, parts: &'a [StrPart<'a>]) -> Val {
        if let [StrPart::Field { expr, .. }] = parts {
            let v = self.eval(f, expr);
            if v.as_alts().is_none() {
                return v;
            }
        }
        let mut acc = vec![Alt::default()];
        for part in parts {
            match part {
                StrPart::Lit(text) => {
                    for a in &mut acc {
                        a.push(Piece::Lit(text.to_string()));
                    }
                }
                StrPart::Field { expr, text } => {
                    let v = self.eval(f, expr);
                    let alts = v.to_alts(&placeholder_name(expr, text));
                    match concat(&acc, &alts) {
                        Val::Str(next) => acc = next,
                        other => return other,
                    }
                }
            }
        }
        Val::Str(acc)
    }

    fn binop(
        &mut self,
        _f: &mut Frame<'a>,
        left: Val,
        left_expr: &'a Expr<'a>,
        op: BinOp,
        right: Val,
        right_expr: &'a Expr<'a>,
    ) -> Val {
        match op {
            BinOp::Add => match (left.as_alts(), right.as_alts()) {
                (Some(a), Some(b)) => concat(&a, &b),
                (Some(a), None) => match right {
                    Val::Seq(_) => Val::unknown("a list added to a string"),
                    _ => concat(&a, &[Alt::placeholder(placeholder_name(right_expr, ""))]),
                },
                (None, Some(b)) => match left {
                    Val::Seq(_) => Val::unknown("a string added to a list"),
                    _ => concat(&[Alt::placeholder(placeholder_name(left_expr, ""))], &b),
                },
                (None, None) => match (left, right) {
                    (Val::Seq(mut a), Val::Seq(b)) => {
                        a.extend(b);
                        Val::Seq(a)
                    }
                    (l, _) if l.reason().is_some() => l,
                    (_, r) => r,
                },
            },
            BinOp::Mod => {
                let Some(fmt) = left.as_alts() else {
                    return Val::unknown("the value is computed at run time");
                };
                let (args, named): (Vec<Vec<Alt>>, NamedAlts) = match (&right, right_expr) {
                    (Val::Seq(vals), Expr::Tuple(exprs)) => (
                        vals.iter()
                            .zip(exprs.iter().map(Some).chain(std::iter::repeat(None)))
                            .map(|(v, e)| {
                                v.to_alts(
                                    &e.map_or_else(|| "value".into(), |e| placeholder_name(e, "")),
                                )
                            })
                            .collect(),
                        Vec::new(),
                    ),
                    (Val::Dict(pairs), _) => (
                        Vec::new(),
                        pairs
                            .iter()
                            .filter_map(|(k, v)| Some((literal(k)?, v.to_alts("value"))))
                            .collect(),
                    ),
                    (v, e) => (vec![v.to_alts(&placeholder_name(e, ""))], Vec::new()),
                };
                let mut out = Vec::new();
                for alt in &fmt {
                    if let Val::Str(alts) = percent_format(alt, &args, &named) {
                        out.extend(alts);
                    }
                }
                if out.is_empty() {
                    return Val::unknown("the value is computed at run time");
                }
                Val::Str(out)
            }
            BinOp::Other => Val::unknown("the value is computed at run time"),
        }
    }

    fn eval_postfix(
        &mut self,
        f: &mut Frame<'a>,
        base: &'a Expr<'a>,
        trailers: &'a [Trailer<'a>],
    ) -> Val {
        let mut cur = self.eval(f, base);
        let mut i = 0;
        while let Some(t) = trailers.get(i) {
            match t {
                Trailer::Attr(a) => {
                    if let Some(Trailer::Call(call)) = trailers.get(i + 1) {
                        cur = self.call_method(f, cur, a, call);
                        i += 2;
                        continue;
                    }
                    cur = self.get_attr(f, cur, a);
                }
                Trailer::Call(call) => {
                    cur = self.call_value(f, cur, call);
                }
                Trailer::Index(k) => {
                    let key = self.eval(f, k);
                    cur = index(cur, key);
                }
            }
            i += 1;
        }
        cur
    }

    fn eval_args(
        &mut self,
        f: &mut Frame<'a>,
        call: &'a Call<'a>,
    ) -> (Vec<Val>, Vec<(String, Val)>) {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        for a in call.args.iter() {
            let v = self.eval(f, &a.value);
            match a.kind {
                super::ast::ArgKind::Positional => args.push(v),
                super::ast::ArgKind::Keyword => {
                    kwargs.push((a.name.unwrap_or_default().to_string(), v));
                }
                super::ast::ArgKind::Star => {
                    if let Val::Seq(vals) = v {
                        args.extend(vals);
                    }
                }
                super::ast::ArgKind::DoubleStar => {
                    if let Val::Dict(pairs) = v {
                        for (k, v) in pairs {
                            if let Some(k) = literal(&k) {
                                kwargs.push((k, v));
                            }
                        }
                    }
                }
            }
        }
        (args, kwargs)
    }

    /// Evaluates every argument for what it does, ignoring the values.
    fn effects(&mut self, f: &mut Frame<'a>, call: &'a Call<'a>) {
        for a in call.args.iter() {
            self.effect(f, &a.value);
        }
    }

    /// Evaluates only the calls inside an expression whose value is not
    /// needed (a docstring, a `json=` payload): building the value of a
    /// large literal would cost time for nothing.
    fn effect(&mut self, f: &mut Frame<'a>, e: &'a Expr<'a>) {
        match e {
            Expr::Name(_) | Expr::Num(_) | Expr::Bytes => {}
            Expr::Str(parts) => {
                for p in parts.iter() {
                    if let StrPart::Field { expr, .. } = p {
                        self.effect(f, expr);
                    }
                }
            }
            Expr::List(items)
            | Expr::Tuple(items)
            | Expr::Set(items)
            | Expr::Or(items)
            | Expr::And(items)
            | Expr::Other(items) => {
                for i in items.iter() {
                    self.effect(f, i);
                }
            }
            Expr::Dict(items) => {
                for item in items.iter() {
                    match item {
                        DictItem::Pair(k, v) => {
                            self.effect(f, k);
                            self.effect(f, v);
                        }
                        DictItem::Splat(x) => self.effect(f, x),
                    }
                }
            }
            Expr::Binary(first, rest) => {
                self.effect(f, first);
                for (_, x) in rest.iter() {
                    self.effect(f, x);
                }
            }
            Expr::IfElse(parts) => {
                for p in parts.iter() {
                    self.effect(f, p);
                }
            }
            Expr::Starred(x) => self.effect(f, x),
            Expr::Postfix(base, trailers) => {
                if trailers.iter().any(|t| matches!(t, Trailer::Call(_))) {
                    self.eval(f, e);
                } else {
                    self.effect(f, base);
                    for t in trailers.iter() {
                        if let Trailer::Index(i) = t {
                            self.effect(f, i);
                        }
                    }
                }
            }
            Expr::Comp(_) => {
                self.eval(f, e);
            }
        }
    }

    fn lookup(&mut self, f: &mut Frame<'a>, name: &'a str) -> Val {
        if let Some(v) = f.env.get(&(false, name)) {
            return v.clone();
        }
        if let Some(outer) = &f.outer {
            if let Some(v) = outer.get(&(false, name)) {
                return v.clone();
            }
        }
        if let Some(scope) = f.class_scope {
            if let Some(&e) = self.prog.classes.get(scope).and_then(|c| c.attrs.get(name)) {
                let this = SelfCtx {
                    class: scope,
                    user: None,
                };
                return self.class_attr_expr(this, scope, e);
            }
        }
        if let Some(func) = f.func {
            if let Some(reason) = self.closure_reason(func, name) {
                return Val::unknown(reason);
            }
        }
        match name {
            "None" => return Val::None,
            "True" | "False" => return Val::Num(name.to_string()),
            _ => {}
        }
        self.module_value(f.file, name, 0)
    }

    /// Why `name` is not known in a nested function evaluated on its own:
    /// it belongs to the enclosing function.
    fn closure_reason(&self, func: FuncId, name: &str) -> Option<String> {
        let outer = self.prog.funcs.get(func)?.outer?;
        let def = self.prog.funcs.get(outer)?.def;
        let bound = def.params.iter().any(|p| p.name == name) || assigns_name(def.body, name);
        bound.then(|| {
            format!(
                "`{name}` comes from the enclosing function `{}` (a closure)",
                def.name
            )
        })
    }

    /// A module-level name of `file`: a constant, class, function or import.
    fn module_value(&mut self, file: FileId, name: &'a str, hops: u32) -> Val {
        let key = (file, name);
        if let Some(v) = self.const_memo.get(&key) {
            return v.clone();
        }
        let prog = self.prog;
        let Some(info) = prog.files.get(file) else {
            return Val::Obj(Obj::Path(Rc::from(name)));
        };
        self.const_memo.insert(
            key,
            Val::unknown(format!("`{name}` is defined in terms of itself")),
        );
        let value = if let Some(exprs) = info.assigns.get(name) {
            let mut out: Option<Val> = None;
            let mut f = Frame::new(file, None, None);
            self.scratch += 1;
            for &e in exprs {
                let v = self.eval(&mut f, e);
                out = Some(match out {
                    Some(prev) => prev.union(v),
                    None => v,
                });
            }
            self.scratch -= 1;
            out.unwrap_or(Val::None)
        } else {
            match info.names.get(name) {
                Some(Binding::Class(c)) => Val::Obj(Obj::Class(*c)),
                Some(Binding::Func(id)) => Val::Obj(Obj::Func(*id)),
                Some(Binding::Module(m)) => Val::Obj(Obj::Path(Rc::from(*m))),
                Some(Binding::From(module, member)) => {
                    let stem = module.rsplit('.').next().unwrap_or(module);
                    match self.prog.file_by_module.get(stem) {
                        Some(&other) if other != file && hops < 8 => {
                            self.module_value(other, member, hops + 1)
                        }
                        _ => Val::Obj(Obj::Path(Rc::from(format!("{module}.{member}")))),
                    }
                }
                None => Val::Obj(Obj::Path(Rc::from(name))),
            }
        };
        self.const_memo.insert(key, value.clone());
        value
    }

    // ----- attributes ---------------------------------------------------

    fn get_attr(&mut self, f: &mut Frame<'a>, recv: Val, name: &'a str) -> Val {
        match recv {
            Val::Obj(Obj::SelfRef) => {
                if let Some(v) = f.env.get(&(true, name)) {
                    return v.clone();
                }
                match f.this {
                    Some(this) => self.attr(this, name),
                    None => Val::unknown(format!("`self.{name}` is known only at run time")),
                }
            }
            Val::Obj(Obj::UserRef) => match f.this.and_then(|t| t.user) {
                Some(u) => self.attr(
                    SelfCtx {
                        class: u,
                        user: None,
                    },
                    name,
                ),
                None if name == "client" => Val::Obj(Obj::Client(Client::Locust)),
                None => Val::unknown(format!("`self.user.{name}` is known only at run time")),
            },
            Val::Param(_) if name == "client" => Val::Obj(Obj::Client(Client::Locust)),
            Val::Obj(Obj::Path(p)) => Val::Obj(Obj::Path(Rc::from(format!("{p}.{name}")))),
            Val::Obj(Obj::Class(c)) => self.attr(
                SelfCtx {
                    class: c,
                    user: None,
                },
                name,
            ),
            Val::Obj(Obj::Response(hits)) if name == "request_meta" => {
                Val::Obj(Obj::Response(hits))
            }
            Val::Unknown(r) | Val::Param(r) => Val::Unknown(r),
            _ => Val::unknown(format!("`.{name}` is known only at run time")),
        }
    }

    /// An attribute of `self` where `self` is an instance of `this.class`.
    fn attr(&mut self, this: SelfCtx, name: &'a str) -> Val {
        let key = (this, name);
        if let Some(v) = self.attr_memo.get(&key) {
            return v.clone();
        }
        self.attr_memo.insert(
            key,
            Val::unknown(format!("`self.{name}` is defined in terms of itself")),
        );
        let v = self.attr_uncached(this, name);
        self.attr_memo.insert(key, v.clone());
        v
    }

    fn attr_uncached(&mut self, this: SelfCtx, name: &'a str) -> Val {
        let prog = self.prog;
        let mro = self.h.mro.get(this.class).cloned().unwrap_or_default();
        let mut class_value: Option<Val> = None;
        for &k in &mro {
            let class = &prog.classes[k];
            if let Some(&f) = class.methods.get(name) {
                return Val::Obj(Obj::Method(f));
            }
            if let Some(&c) = class.nested.get(name) {
                return Val::Obj(Obj::Class(c));
            }
            if let Some(&e) = class.attrs.get(name) {
                class_value = Some(self.class_attr_expr(this, k, e));
                break;
            }
        }
        let mut assigned: Vec<(ClassId, &'a Expr<'a>)> = Vec::new();
        for &k in &mro {
            if let Some(exprs) = prog.classes[k].self_assigns.get(name) {
                assigned.extend(exprs.iter().map(|&e| (k, e)));
            }
        }
        let mut value = class_value;
        if !assigned.is_empty() {
            let mut runtime = false;
            for (k, e) in assigned {
                let v = self.class_attr_expr(this, k, e);
                let known = match &v {
                    Val::Str(alts) => alts.iter().all(|a| a.as_literal().is_some()),
                    Val::Obj(Obj::Client(_)) => true,
                    _ => false,
                };
                match v {
                    _ if known => {
                        value = Some(match value {
                            Some(prev) => prev.union(v),
                            None => v,
                        });
                    }
                    Val::None => {}
                    _ => runtime = true,
                }
            }
            if runtime && !matches!(value, Some(Val::Obj(Obj::Client(_)))) {
                value = Some(Val::unknown(format!("`self.{name}` is set at run time")));
            }
        }
        let kind = self.h.kind.get(this.class).copied().flatten();
        match (name, value) {
            ("client", Some(v @ Val::Obj(Obj::Client(_)))) => v,
            ("client", _) => Val::Obj(Obj::Client(match kind {
                Some(Kind::TaskSet) => match this.user {
                    Some(u) => match self.attr(
                        SelfCtx {
                            class: u,
                            user: None,
                        },
                        "client",
                    ) {
                        Val::Obj(Obj::Client(c)) => c,
                        _ => Client::Locust,
                    },
                    None => Client::Locust,
                },
                Some(Kind::User) => Client::Other,
                _ => Client::Locust,
            })),
            ("user" | "parent" | "locust", None) if kind == Some(Kind::TaskSet) => {
                Val::Obj(Obj::UserRef)
            }
            (_, Some(v)) => v,
            ("host", None) => Val::unknown("`self.host` is set at run time (`--host`)"),
            (_, None) => Val::unknown(format!("`self.{name}` is known only at run time")),
        }
    }

    /// Evaluates an expression of the body of class `k` (or a `self.x =`
    /// value in one of its methods) for an instance of `this.class`.
    fn class_attr_expr(&mut self, this: SelfCtx, k: ClassId, e: &'a Expr<'a>) -> Val {
        let file = self.prog.classes[k].file;
        let mut f = Frame::new(file, Some(this), None);
        f.class_scope = Some(k);
        f.env.insert((false, "self"), Val::Obj(Obj::SelfRef));
        self.scratch += 1;
        let v = self.eval(&mut f, e);
        self.scratch -= 1;
        v
    }

    // ----- calls --------------------------------------------------------

    fn call_method(
        &mut self,
        f: &mut Frame<'a>,
        recv: Val,
        name: &'a str,
        call: &'a Call<'a>,
    ) -> Val {
        match recv {
            Val::Obj(Obj::Client(client)) => self.client_call(f, client, name, call),
            Val::Obj(Obj::SelfRef) => {
                if let Some(v) = f.env.get(&(true, name)).cloned() {
                    return self.call_value(f, v, call);
                }
                let Some(this) = f.this else {
                    self.effects(f, call);
                    return Val::unknown(format!("`self.{name}(...)` is known only at run time"));
                };
                self.self_call(f, this, name, call)
            }
            Val::Obj(Obj::UserRef) => match f.this.and_then(|t| t.user) {
                Some(u) => self.self_call(
                    f,
                    SelfCtx {
                        class: u,
                        user: None,
                    },
                    name,
                    call,
                ),
                None => {
                    self.effects(f, call);
                    Val::unknown(format!("`self.user.{name}(...)` is known only at run time"))
                }
            },
            Val::Obj(Obj::Super) => {
                let (Some(this), Some(func)) = (f.this, f.func) else {
                    self.effects(f, call);
                    return Val::unknown("`super()` outside a method");
                };
                let defining = self.prog.funcs.get(func).and_then(|i| i.class);
                let target =
                    defining.and_then(|d| self.h.method_after(self.prog, this.class, d, name));
                match target {
                    Some(m) => {
                        let (args, kwargs) = self.eval_args(f, call);
                        self.invoke(f, m, Some(this), true, args, kwargs, None)
                    }
                    None => {
                        self.effects(f, call);
                        Val::unknown(format!("`super().{name}(...)` is a library method"))
                    }
                }
            }
            Val::Obj(Obj::Path(p)) => {
                let path = format!("{p}.{name}");
                self.call_path(f, &path, call)
            }
            Val::Obj(Obj::Class(c)) => {
                let this = SelfCtx {
                    class: c,
                    user: None,
                };
                match self.h.method(self.prog, c, name) {
                    Some(m) => {
                        let (args, kwargs) = self.eval_args(f, call);
                        self.invoke(f, m, Some(this), false, args, kwargs, None)
                    }
                    None => {
                        self.effects(f, call);
                        Val::unknown(format!("`.{name}(...)` is known only at run time"))
                    }
                }
            }
            Val::Str(alts) => self.str_method(f, alts, name, call),
            Val::Dict(pairs) => {
                let (args, _) = self.eval_args(f, call);
                match name {
                    "items" => Val::Seq(
                        pairs
                            .into_iter()
                            .map(|(k, v)| Val::Seq(vec![k, v]))
                            .collect(),
                    ),
                    "keys" => Val::Seq(pairs.into_iter().map(|(k, _)| k).collect()),
                    "values" => Val::Seq(pairs.into_iter().map(|(_, v)| v).collect()),
                    "get" => {
                        let key = args.first().and_then(literal);
                        pairs
                            .into_iter()
                            .find(|(k, _)| literal(k).is_some() && literal(k) == key)
                            .map(|(_, v)| v)
                            .or_else(|| args.get(1).cloned())
                            .unwrap_or(Val::None)
                    }
                    "copy" => Val::Dict(pairs),
                    _ => Val::unknown("the value is computed at run time"),
                }
            }
            Val::Seq(items) => {
                self.effects(f, call);
                match name {
                    "copy" => Val::Seq(items),
                    _ => Val::unknown("the value is computed at run time"),
                }
            }
            Val::Param(_) if name == "client" => {
                self.effects(f, call);
                Val::unknown("`client(...)` is known only at run time")
            }
            other => {
                self.effects(f, call);
                match other.reason() {
                    Some(r) => Val::unknown(r),
                    None => Val::unknown(format!("`.{name}(...)` is known only at run time")),
                }
            }
        }
    }

    /// `self.name(...)` where `self` is an instance of `this.class`.
    fn self_call(
        &mut self,
        f: &mut Frame<'a>,
        this: SelfCtx,
        name: &'a str,
        call: &'a Call<'a>,
    ) -> Val {
        if let Some(m) = self.h.method(self.prog, this.class, name) {
            let (args, kwargs) = self.eval_args(f, call);
            return self.invoke(f, m, Some(this), true, args, kwargs, None);
        }
        let kind = self.h.kind.get(this.class).copied().flatten();
        if name == "rest" && kind == Some(Kind::FastHttpUser) {
            return self.request(
                f,
                Client::Locust,
                MethodArg::Arg(0, "method"),
                (1, "url"),
                call,
            );
        }
        let v = self.attr(this, name);
        self.call_value(f, v, call)
    }

    /// Calls one of the program's functions and folds its requests into
    /// the caller's.
    #[allow(clippy::too_many_arguments)]
    fn invoke(
        &mut self,
        f: &mut Frame<'a>,
        func: FuncId,
        this: Option<SelfCtx>,
        bind_self: bool,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        outer: Option<Rc<Env<'a>>>,
    ) -> Val {
        let r = self.call_function(func, this, bind_self, args, kwargs, outer);
        f.hits.extend(r.hits.iter().cloned());
        r.ret.clone().unwrap_or(Val::None)
    }

    fn call_value(&mut self, f: &mut Frame<'a>, callee: Val, call: &'a Call<'a>) -> Val {
        match callee {
            Val::Obj(Obj::Func(id)) => {
                let (args, kwargs) = self.eval_args(f, call);
                self.invoke(f, id, None, false, args, kwargs, None)
            }
            Val::Obj(Obj::Method(id)) => {
                let (args, kwargs) = self.eval_args(f, call);
                self.invoke(f, id, f.this, true, args, kwargs, None)
            }
            Val::Obj(Obj::Local(id)) => {
                let (args, kwargs) = self.eval_args(f, call);
                let mut env = f.outer.as_deref().cloned().unwrap_or_default();
                env.extend(f.env.iter().map(|(k, v)| (*k, v.clone())));
                let this = f.this;
                self.invoke(f, id, this, false, args, kwargs, Some(Rc::new(env)))
            }
            Val::Obj(Obj::Path(p)) => self.call_path(f, &p, call),
            Val::Obj(Obj::Class(c)) => {
                self.effects(f, call);
                Val::unknown(format!(
                    "an instance of `{}`",
                    self.prog.classes.get(c).map_or("", |k| k.def.name)
                ))
            }
            other => {
                self.effects(f, call);
                match other.reason() {
                    Some(r) => Val::unknown(r),
                    None => Val::unknown("the value is computed at run time"),
                }
            }
        }
    }

    /// Calls an external function by its dotted path.
    fn call_path(&mut self, f: &mut Frame<'a>, path: &str, call: &'a Call<'a>) -> Val {
        if let Some((module, member)) = path.rsplit_once('.') {
            if HTTP_MODULES.contains(&module) {
                if let Some(m) = verb(member) {
                    return self.request(f, Client::Other, MethodArg::Fixed(m), (0, "url"), call);
                }
                if member == "request" {
                    return self.request(
                        f,
                        Client::Other,
                        MethodArg::Arg(0, "method"),
                        (1, "url"),
                        call,
                    );
                }
            }
        }
        if SESSIONS.contains(&path) {
            self.effects(f, call);
            return Val::Obj(Obj::Client(Client::Other));
        }
        match path {
            "urllib.request.urlopen" | "urllib2.urlopen" => {
                let (args, kwargs) = self.eval_args(f, call);
                let target = args
                    .first()
                    .cloned()
                    .unwrap_or_else(|| kwarg(&kwargs, "url"));
                let data = args.get(1).cloned().or_else(|| {
                    kwargs
                        .iter()
                        .find(|(k, _)| k == "data")
                        .map(|(_, v)| v.clone())
                });
                let (url, method) = match target {
                    Val::Obj(Obj::UrlRequest(url, method)) => (*url, *method),
                    other => {
                        let m = if data.is_some_and(|d| d != Val::None) {
                            "POST"
                        } else {
                            "GET"
                        };
                        (other, Val::lit(m))
                    }
                };
                self.record(f, Client::Other, method, url, None, call.at);
                Val::unknown("a response")
            }
            "urllib.request.Request" => {
                let (args, kwargs) = self.eval_args(f, call);
                let url = args
                    .first()
                    .cloned()
                    .unwrap_or_else(|| kwarg(&kwargs, "url"));
                let data = args.get(1).cloned().or_else(|| {
                    kwargs
                        .iter()
                        .find(|(k, _)| k == "data")
                        .map(|(_, v)| v.clone())
                });
                let method = match kwargs.iter().find(|(k, _)| k == "method") {
                    Some((_, m)) if *m != Val::None => m.clone(),
                    _ if args.len() > 5 => args.get(5).cloned().unwrap_or(Val::None),
                    _ if data.is_some_and(|d| d != Val::None) => Val::lit("POST"),
                    _ => Val::lit("GET"),
                };
                Val::Obj(Obj::UrlRequest(Box::new(url), Box::new(method)))
            }
            "random.choice" | "secrets.choice" => {
                let (args, _) = self.eval_args(f, call);
                match args.into_iter().next() {
                    Some(Val::Seq(items)) => self.choose(items),
                    Some(Val::Dict(pairs)) => {
                        self.choose(pairs.into_iter().map(|(k, _)| k).collect())
                    }
                    _ => Val::unknown("a random choice among values known only at run time"),
                }
            }
            "os.getenv" | "os.environ.get" => {
                let (args, _) = self.eval_args(f, call);
                let var = args.first().and_then(literal).unwrap_or_default();
                Val::unknown(format!("the environment variable `{var}`"))
            }
            "str" | "urllib.parse.quote" | "urllib.parse.quote_plus" | "quote" | "quote_plus" => {
                let (args, _) = self.eval_args(f, call);
                match args.into_iter().next() {
                    Some(v @ (Val::Str(_) | Val::Num(_))) => v.as_alts().map_or(v, Val::Str),
                    Some(other) => other,
                    None => Val::lit(""),
                }
            }
            "urllib.parse.urljoin" | "urljoin" => {
                let (args, _) = self.eval_args(f, call);
                let base = args.first().cloned().unwrap_or(Val::None);
                let tail = args.get(1).cloned().unwrap_or(Val::None);
                match tail.as_alts() {
                    Some(t) if t.iter().all(|a| matches!(a.pieces.first(), Some(Piece::Lit(x)) if x.starts_with('/'))) => {
                        Val::Str(t)
                    }
                    Some(t) => match base.as_alts() {
                        Some(b) => concat(&b, &t),
                        None => Val::Str(t),
                    },
                    None => tail,
                }
            }
            "super" => {
                self.effects(f, call);
                Val::Obj(Obj::Super)
            }
            _ => {
                self.effects(f, call);
                Val::unknown(format!("`{path}(...)` is known only at run time"))
            }
        }
    }

    /// A method call on an HTTP client.
    fn client_call(
        &mut self,
        f: &mut Frame<'a>,
        client: Client,
        name: &str,
        call: &'a Call<'a>,
    ) -> Val {
        if let Some(m) = verb(name) {
            return self.request(f, client, MethodArg::Fixed(m), (0, "url"), call);
        }
        if matches!(name, "request" | "rest") {
            return self.request(f, client, MethodArg::Arg(0, "method"), (1, "url"), call);
        }
        if name == "rename_request" {
            let (args, kwargs) = self.eval_args(f, call);
            let label = args
                .first()
                .or_else(|| kwargs.iter().find(|(k, _)| k == "name").map(|(_, v)| v))
                .and_then(Val::as_alts)
                .and_then(|alts| alts.first().map(Alt::render));
            return Val::Obj(Obj::Rename(label));
        }
        self.effects(f, call);
        Val::unknown(format!("`client.{name}(...)`"))
    }

    /// Evaluates a request call's arguments and records its hits.
    fn request(
        &mut self,
        f: &mut Frame<'a>,
        client: Client,
        method: MethodArg,
        url_arg: (usize, &'static str),
        call: &'a Call<'a>,
    ) -> Val {
        let mut positional = 0usize;
        let mut url = None;
        let mut method_val = None;
        let mut name = None;
        let method_pos = match &method {
            MethodArg::Arg(p, k) => Some((*p, *k)),
            MethodArg::Fixed(_) => None,
        };
        let url_pos = match method_pos {
            Some(_) => url_arg,
            None => (url_arg.0, url_arg.1),
        };
        for a in call.args.iter() {
            let role = match a.kind {
                super::ast::ArgKind::Positional => {
                    Some(positional) == method_pos.map(|m| m.0) || positional == url_pos.0
                }
                super::ast::ArgKind::Keyword => matches!(
                    a.name,
                    Some(n) if Some(n) == method_pos.map(|m| m.1)
                        || n == url_pos.1
                        || n == "path"
                        || n == "name"
                ),
                _ => false,
            };
            if !role {
                // `json=`, `headers=`: only what they do matters.
                self.effect(f, &a.value);
                if a.kind == super::ast::ArgKind::Positional {
                    positional += 1;
                }
                continue;
            }
            let v = self.eval(f, &a.value);
            match a.kind {
                super::ast::ArgKind::Positional => {
                    if Some(positional) == method_pos.map(|m| m.0) {
                        method_val = Some(v);
                    } else if positional == url_pos.0 {
                        url = Some(v);
                    }
                    positional += 1;
                }
                super::ast::ArgKind::Keyword => match a.name {
                    Some(n) if Some(n) == method_pos.map(|m| m.1) => method_val = Some(v),
                    Some(n) if n == url_pos.1 || n == "path" => url = Some(v),
                    Some("name") => name = Some(v),
                    _ => {}
                },
                _ => {}
            }
        }
        let method_val = match method {
            MethodArg::Fixed(m) => Val::lit(m.as_str()),
            MethodArg::Arg(..) => method_val.unwrap_or_else(|| Val::unknown("no method given")),
        };
        let url = url.unwrap_or_else(|| Val::unknown("the call has no URL argument"));
        self.record(f, client, method_val, url, name, call.at)
    }

    /// Records the hits of one request: one per consistent combination of
    /// method, URL and label.
    fn record(
        &mut self,
        f: &mut Frame<'a>,
        client: Client,
        method: Val,
        url: Val,
        name: Option<Val>,
        at: u32,
    ) -> Val {
        let methods: Vec<(Option<Method>, Tags)> = match method.as_alts() {
            Some(alts) => alts
                .into_iter()
                .map(|a| (a.as_literal().and_then(|m| Method::parse(m.trim())), a.tags))
                .collect(),
            None => vec![(None, Vec::new())],
        };
        let urls: Vec<(Finished, Tags)> = match &url {
            Val::Str(alts) => alts
                .iter()
                .map(|a| (url::finish(a), a.tags.clone()))
                .collect(),
            Val::Num(_) => vec![(Err("the URL is a number".to_string()), Vec::new())],
            other => vec![(
                Err(other
                    .reason()
                    .map_or_else(|| "the URL is not a string".to_string(), str::to_string)),
                Vec::new(),
            )],
        };
        let names: Vec<(Option<String>, Tags)> = match name.as_ref().and_then(Val::as_alts) {
            Some(alts) => alts
                .into_iter()
                .map(|a| (Some(a.render()), a.tags))
                .collect(),
            None => vec![(None, Vec::new())],
        };
        let start = f.hits.len();
        'outer: for (m, mt) in &methods {
            for (u, ut) in &urls {
                let Some(mu) = super::value::merge_tags(mt, ut) else {
                    continue;
                };
                for (n, nt) in &names {
                    if super::value::merge_tags(&mu, nt).is_none() {
                        continue;
                    }
                    if f.hits.len() - start >= MAX_ALTS {
                        break 'outer;
                    }
                    let hit = Hit {
                        file: f.file,
                        at,
                        method: *m,
                        url: u.clone(),
                        name: n.clone(),
                        client,
                    };
                    if self.scratch == 0 {
                        f.hits.push(hit);
                    }
                }
            }
        }
        Val::Obj(Obj::Response((start..f.hits.len()).collect()))
    }

    fn str_method(
        &mut self,
        f: &mut Frame<'a>,
        alts: Vec<Alt>,
        name: &str,
        call: &'a Call<'a>,
    ) -> Val {
        let (args, kwargs) = self.eval_args(f, call);
        match name {
            "format" => {
                let names: Vec<String> = call
                    .args
                    .iter()
                    .filter(|a| a.kind == super::ast::ArgKind::Positional)
                    .map(|a| placeholder_name(&a.value, ""))
                    .collect();
                let positional: Vec<Vec<Alt>> = args
                    .iter()
                    .enumerate()
                    .map(|(i, v)| v.to_alts(names.get(i).map_or("value", String::as_str)))
                    .collect();
                let named: Vec<(String, Vec<Alt>)> = kwargs
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_alts(k)))
                    .collect();
                let mut out = Vec::new();
                for a in &alts {
                    if let Val::Str(x) = brace_format(a, &positional, &named) {
                        out.extend(x);
                    }
                }
                if out.is_empty() {
                    return Val::unknown("the value is computed at run time");
                }
                Val::Str(out)
            }
            "strip" | "lstrip" | "rstrip" => {
                let chars = args
                    .first()
                    .and_then(literal)
                    .unwrap_or_else(|| " \t\n".to_string());
                let set: Vec<char> = chars.chars().collect();
                Val::Str(
                    alts.iter()
                        .map(|a| strip_alt(a, &set, name != "rstrip", name != "lstrip"))
                        .collect(),
                )
            }
            "lower" => Val::Str(alts.iter().map(|a| a.map_lits(str::to_lowercase)).collect()),
            "upper" => Val::Str(alts.iter().map(|a| a.map_lits(str::to_uppercase)).collect()),
            "replace" => match (
                args.first().and_then(literal),
                args.get(1).and_then(literal),
            ) {
                (Some(from), Some(to)) if !from.is_empty() => Val::Str(
                    alts.iter()
                        .map(|a| a.map_lits(|t| t.replace(&from, &to)))
                        .collect(),
                ),
                _ => Val::unknown("the value is computed at run time"),
            },
            "join" => match args.first() {
                Some(Val::Seq(items)) => {
                    let mut acc = vec![Alt::default()];
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            if let Val::Str(next) = concat(&acc, &alts) {
                                acc = next;
                            }
                        }
                        match concat(&acc, &item.to_alts("value")) {
                            Val::Str(next) => acc = next,
                            other => return other,
                        }
                    }
                    Val::Str(acc)
                }
                _ => Val::unknown("the value is computed at run time"),
            },
            _ => Val::unknown("the value is computed at run time"),
        }
    }
}

fn kwarg(kwargs: &[(String, Val)], name: &str) -> Val {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map_or_else(|| Val::unknown("no URL given"), |(_, v)| v.clone())
}

/// The literal text of a value with exactly one placeholder-free
/// alternative.
fn literal(v: &Val) -> Option<String> {
    match v {
        Val::Str(alts) if alts.len() == 1 => alts.first()?.as_literal(),
        Val::Num(n) => Some(n.clone()),
        _ => None,
    }
}

fn index(cur: Val, key: Val) -> Val {
    match (cur, key) {
        (Val::Seq(items), Val::Num(n)) => {
            let Ok(i) = n.parse::<i64>() else {
                return Val::unknown("an element known only at run time");
            };
            let len = items.len() as i64;
            let i = if i < 0 { len + i } else { i };
            usize::try_from(i)
                .ok()
                .and_then(|i| items.into_iter().nth(i))
                .unwrap_or_else(|| Val::unknown("an index out of range"))
        }
        (Val::Dict(pairs), key) => {
            let k = literal(&key);
            pairs
                .into_iter()
                .find(|(x, _)| k.is_some() && literal(x) == k)
                .map_or_else(
                    || Val::unknown("a dictionary entry known only at run time"),
                    |(_, v)| v,
                )
        }
        (Val::Obj(Obj::Path(p)), key) if &*p == "os.environ" => Val::unknown(format!(
            "the environment variable `{}`",
            literal(&key).unwrap_or_default()
        )),
        (Val::Obj(Obj::Response(h)), _) => Val::Obj(Obj::Response(h)),
        (other, _) => match other.reason() {
            Some(r) => Val::unknown(r),
            None => Val::unknown("an element known only at run time"),
        },
    }
}

/// Several tagged values as one: strings join their alternatives, tuples of
/// one length combine position by position.
fn combine(values: Vec<Val>) -> Val {
    if values.iter().all(|v| v.as_alts().is_some()) {
        let mut alts = Vec::new();
        for v in values {
            alts.extend(v.as_alts().unwrap_or_default());
        }
        return Val::Str(alts);
    }
    let len = match values.first() {
        Some(Val::Seq(items)) => items.len(),
        _ => return Val::unknown("a loop over values known only at run time"),
    };
    if !values
        .iter()
        .all(|v| matches!(v, Val::Seq(items) if items.len() == len))
    {
        return Val::unknown("a loop over values known only at run time");
    }
    let mut columns: Vec<Vec<Val>> = vec![Vec::new(); len];
    for v in values {
        if let Val::Seq(items) = v {
            for (c, item) in columns.iter_mut().zip(items) {
                c.push(item);
            }
        }
    }
    Val::Seq(columns.into_iter().map(combine).collect())
}

fn merge_env<'a>(mut a: Env<'a>, b: Env<'a>) -> Env<'a> {
    for (k, v) in b {
        match a.remove(&k) {
            Some(prev) => {
                a.insert(k, prev.union(v));
            }
            None => {
                a.insert(k, v);
            }
        }
    }
    a
}

/// Whether a block may bind a name: then an `if` must evaluate its branches
/// on copies of the bindings and merge them.
fn binds(body: &[Stmt<'_>]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Expr(_) | Stmt::Return(_) | Stmt::Other | Stmt::Class(_) => false,
        Stmt::If(branches) => branches.iter().any(|(_, b)| binds(b)),
        Stmt::While { body, orelse } => binds(body) || binds(orelse),
        Stmt::Try(parts) => parts.iter().any(|b| binds(b)),
        Stmt::Block(b) => binds(b),
        _ => true,
    })
}

/// Whether a block assigns `name` (as a plain name) at any depth.
fn assigns_name(body: &[Stmt<'_>], name: &str) -> bool {
    body.iter().any(|s| match s {
        Stmt::Assign { targets, .. } => targets.iter().any(|t| target_has(t, name)),
        Stmt::For(For {
            target,
            body,
            orelse,
            ..
        }) => target_has(target, name) || assigns_name(body, name) || assigns_name(orelse, name),
        Stmt::With { items, body } => {
            items
                .iter()
                .any(|(_, t)| t.as_ref().is_some_and(|t| target_has(t, name)))
                || assigns_name(body, name)
        }
        Stmt::If(branches) => branches.iter().any(|(_, b)| assigns_name(b, name)),
        Stmt::While { body, orelse } => assigns_name(body, name) || assigns_name(orelse, name),
        Stmt::Try(parts) => parts.iter().any(|b| assigns_name(b, name)),
        Stmt::Block(b) => assigns_name(b, name),
        _ => false,
    })
}

fn target_has(t: &Expr<'_>, name: &str) -> bool {
    match t {
        Expr::Name(n) => *n == name,
        Expr::Tuple(items) | Expr::List(items) => items.iter().any(|i| target_has(i, name)),
        Expr::Starred(i) => target_has(i, name),
        _ => false,
    }
}

/// A short label for an expression in messages.
fn expr_label(e: &Expr<'_>) -> String {
    match e.dotted() {
        Some(parts) => parts.join("."),
        None => placeholder_name(e, ""),
    }
}

/// The placeholder name for a dynamic piece: the name it is read from
/// (`tool_id`, `self.agent_name` -> `agent_name`, `user['email']` ->
/// `email`, `uuid.uuid4().hex[:8]` -> `hex`).
pub fn placeholder_name(e: &Expr<'_>, text: &str) -> String {
    match e {
        Expr::Name(n) => n.to_string(),
        Expr::Postfix(base, trailers) => {
            if let (Expr::Name(_), [Trailer::Call(call)]) = (*base, *trailers) {
                if let Some(arg) = call.positional(0) {
                    return placeholder_name(arg, "");
                }
            }
            for t in trailers.iter().rev() {
                match t {
                    Trailer::Attr(a) => return a.to_string(),
                    Trailer::Index(k) => {
                        if let Some(s) = k.as_plain_str() {
                            if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_') {
                                return s;
                            }
                        }
                    }
                    Trailer::Call(_) => {}
                }
            }
            match *base {
                Expr::Name(n) => n.to_string(),
                _ => name_from_text(text),
            }
        }
        _ => name_from_text(text),
    }
}

/// `"%s/%(key)s" % args`.
fn percent_format(fmt: &Alt, args: &[Vec<Alt>], named: &[(String, Vec<Alt>)]) -> Val {
    let mut acc = vec![Alt {
        pieces: Vec::new(),
        tags: fmt.tags.clone(),
    }];
    let mut next = 0usize;
    for piece in &fmt.pieces {
        let text = match piece {
            Piece::Lit(t) => t,
            other => {
                for a in &mut acc {
                    a.push(other.clone());
                }
                continue;
            }
        };
        let mut chars = text.chars().peekable();
        let mut buf = String::new();
        while let Some(c) = chars.next() {
            if c != '%' {
                buf.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                buf.push('%');
                continue;
            }
            let mut key = None;
            if chars.peek() == Some(&'(') {
                chars.next();
                let k: String = chars.by_ref().take_while(|&c| c != ')').collect();
                key = Some(k);
            }
            // Flags, width, precision, then the conversion letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
            for a in &mut acc {
                a.push(Piece::Lit(std::mem::take(&mut buf.clone())));
            }
            buf.clear();
            let value = match &key {
                Some(k) => named
                    .iter()
                    .find(|(n, _)| n == k)
                    .map_or_else(|| vec![Alt::placeholder(k.clone())], |(_, v)| v.clone()),
                None => {
                    let v = args
                        .get(next)
                        .cloned()
                        .unwrap_or_else(|| vec![Alt::placeholder("value")]);
                    next += 1;
                    v
                }
            };
            match concat(&acc, &value) {
                Val::Str(x) => acc = x,
                other => return other,
            }
        }
        for a in &mut acc {
            a.push(Piece::Lit(buf.clone()));
        }
    }
    Val::Str(acc)
}

/// `"/a/{}/{name}".format(x, name=y)`.
fn brace_format(fmt: &Alt, positional: &[Vec<Alt>], named: &[(String, Vec<Alt>)]) -> Val {
    let mut acc = vec![Alt {
        pieces: Vec::new(),
        tags: fmt.tags.clone(),
    }];
    let mut auto = 0usize;
    for piece in &fmt.pieces {
        let text = match piece {
            Piece::Lit(t) => t,
            other => {
                for a in &mut acc {
                    a.push(other.clone());
                }
                continue;
            }
        };
        let mut chars = text.chars().peekable();
        let mut buf = String::new();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    buf.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    buf.push('}');
                }
                '{' => {
                    let field: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let key = field
                        .split([':', '!'])
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    for a in &mut acc {
                        a.push(Piece::Lit(buf.clone()));
                    }
                    buf.clear();
                    let value = if key.is_empty() {
                        let v = positional.get(auto).cloned();
                        auto += 1;
                        v
                    } else if let Ok(i) = key.parse::<usize>() {
                        positional.get(i).cloned()
                    } else {
                        named
                            .iter()
                            .find(|(n, _)| *n == key)
                            .map(|(_, v)| v.clone())
                    };
                    let value = value.unwrap_or_else(|| {
                        vec![Alt::placeholder(if key.is_empty() {
                            "value".to_string()
                        } else {
                            name_from_text(&key)
                        })]
                    });
                    match concat(&acc, &value) {
                        Val::Str(x) => acc = x,
                        other => return other,
                    }
                }
                _ => buf.push(c),
            }
        }
        for a in &mut acc {
            a.push(Piece::Lit(buf.clone()));
        }
    }
    Val::Str(acc)
}

fn strip_alt(a: &Alt, set: &[char], left: bool, right: bool) -> Alt {
    let mut out = a.clone();
    if left {
        if let Some(Piece::Lit(t)) = out.pieces.first_mut() {
            *t = t.trim_start_matches(set).to_string();
        }
    }
    if right {
        if let Some(Piece::Lit(t)) = out.pieces.last_mut() {
            *t = t.trim_end_matches(set).to_string();
        }
    }
    out.pieces
        .retain(|p| !matches!(p, Piece::Lit(t) if t.is_empty()));
    out
}
