//! What one Python file says about routing, read from its tokens in one
//! pass: routers it creates, routes it declares, routers it includes, names
//! it imports, functions and the calls that pass names to them.
//!
//! Nothing here looks at another file; [`super::resolve`] joins the files.
//! Strings (docstrings included) are single tokens, so an example decorator
//! inside a docstring is never seen as a route.

use std::collections::HashMap;

use crate::method::Method;
use crate::python::token::{Token, TokenKind};
use crate::python::{is_keyword, literal};

/// A dotted name as written: `router`, `teams.router`, `app.router`.
pub type Dotted = Vec<String>;

/// What an argument is, as far as the reader cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One string literal, or several implicitly concatenated.
    Str(String),
    /// A bare or dotted name (`PREFIX`, `settings.api_prefix`).
    Name(Dotted),
    /// Anything else (an f-string, a call, an expression).
    Other,
}

/// `NAME = APIRouter(...)` or `NAME = FastAPI(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterDef {
    pub name: String,
    /// Created by `FastAPI(...)`: the application itself, mounted at `/`.
    pub is_app: bool,
    /// `prefix=`; `None` when absent (the empty prefix).
    pub prefix: Option<Value>,
    /// `include_in_schema=False` on the router.
    pub hidden: bool,
    pub offset: u32,
}

/// A module named by an import: `level` leading dots (0 for absolute) and
/// the dotted path after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModRef {
    pub level: u32,
    pub path: Vec<String>,
}

/// What an imported or assigned name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// `import a.b as x` (x is `a.b`), `import a.b` (a is `a`).
    Module(ModRef),
    /// `from m import n [as x]`: a submodule `m.n` or the name `n` in `m`.
    From(ModRef, String),
    /// `x = some.name`.
    Alias(Dotted),
}

/// A `def` and its parameter names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnDef {
    pub name: String,
    pub params: Vec<String>,
}

/// A route declaration: a decorator, a call, or `add_api_route`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSite {
    pub receiver: Dotted,
    pub methods: Vec<Method>,
    pub path: Value,
    /// `include_in_schema=False`.
    pub hidden: bool,
    /// Where the declaration starts (the `@` of a decorator).
    pub offset: u32,
    /// Index into [`FileFacts::functions`] of the enclosing `def`.
    pub scope: Option<usize>,
}

/// `receiver.include_router(router, prefix=..., include_in_schema=...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeSite {
    pub receiver: Dotted,
    /// The included router, when it is a name.
    pub router: Option<Dotted>,
    /// `prefix=`; `None` when absent.
    pub prefix: Option<Value>,
    pub hidden: bool,
    pub offset: u32,
    pub scope: Option<usize>,
}

/// A call `callee(...)`, kept as token indices: most calls never matter,
/// so their arguments are read only when the callee is a function that
/// passes routers on ([`call_args`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallSite {
    /// Token index of the callee's first name.
    pub start: usize,
    /// Token index of the `(`.
    pub lpar: usize,
    pub scope: Option<usize>,
}

/// A call's callee and the arguments that are names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallArgs {
    pub callee: Dotted,
    /// Positional arguments in order, `None` where one is not a name.
    pub positional: Vec<Option<Dotted>>,
    pub keywords: Vec<(String, Dotted)>,
}

/// The last part of a call's callee (`register` in `setup.register(x)`).
pub fn callee_last<'a>(src: &'a str, facts: &FileFacts, call: &CallSite) -> &'a str {
    facts
        .tokens
        .get(call.lpar.wrapping_sub(1))
        .and_then(|t| src.get(t.range.as_range()))
        .unwrap_or("")
}

/// Reads a recorded call's callee and name arguments.
pub fn call_args(src: &str, facts: &FileFacts, call: &CallSite) -> CallArgs {
    let cur = Cursor {
        src,
        sig: &facts.tokens,
        close: &facts.close,
    };
    let mut out = CallArgs {
        callee: cur.parts(call.start, call.lpar),
        positional: Vec::new(),
        keywords: Vec::new(),
    };
    for arg in cur.args(call.lpar) {
        let value = cur.name_value(arg.start, arg.end);
        match arg.keyword {
            Some(kw) => {
                if let Some(d) = value {
                    out.keywords.push((kw.to_string(), d));
                }
            }
            None => out.positional.push(value),
        }
    }
    out
}

/// A problem found in one file, by byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub offset: u32,
    pub kind: &'static str,
    pub message: String,
}

/// Everything one file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub routers: Vec<RouterDef>,
    /// In source order; a later binding of a name wins.
    pub bindings: Vec<(String, Binding)>,
    /// `NAME = "text"`.
    pub constants: HashMap<String, String>,
    pub functions: Vec<FnDef>,
    pub routes: Vec<RouteSite>,
    pub includes: Vec<IncludeSite>,
    pub calls: Vec<CallSite>,
    pub notes: Vec<Note>,
    /// The significant tokens (trivia dropped), for [`call_args`].
    pub tokens: Vec<Token>,
    /// For each opening bracket in `tokens`, the index of its closing one.
    pub close: Vec<u32>,
}

/// Route decorator and call names, with the method each stands for
/// (`None`: `api_route`, methods from `methods=`).
fn route_method(name: &str) -> Option<Option<Method>> {
    match name {
        "api_route" => Some(None),
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
            Method::parse(name).map(Some)
        }
        _ => None,
    }
}

/// A callee that creates a router: `APIRouter`, `FastAPI`, or a router
/// class of another library (`InferringRouter`).
fn router_constructor(name: &str) -> Option<bool> {
    match name {
        "FastAPI" => Some(true),
        n if n.ends_with("Router") => Some(false),
        _ => None,
    }
}

/// Reads one file's facts from its tokens.
pub fn read(src: &str, mut tokens: Vec<Token>) -> FileFacts {
    tokens.retain(|t| !t.kind.is_trivia());
    let sig = tokens;
    let close = match_brackets(&sig);
    let mut reader = Reader {
        cur: Cursor {
            src,
            sig: &sig,
            close: &close,
        },
        facts: FileFacts::default(),
    };
    reader.run();
    let mut facts = reader.facts;
    facts.tokens = sig;
    facts.close = close;
    facts
}

/// For each opening bracket, the index of its closing bracket (or the end
/// of the tokens when it is never closed); `u32::MAX` elsewhere.
fn match_brackets(sig: &[Token]) -> Vec<u32> {
    let mut close = vec![u32::MAX; sig.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in sig.iter().enumerate() {
        match t.kind {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => stack.push(i),
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                if let Some(open) = stack.pop() {
                    if let Some(slot) = close.get_mut(open) {
                        *slot = i as u32;
                    }
                }
            }
            // A logical line ends every bracket the tokenizer left open.
            TokenKind::Newline | TokenKind::EndOfFile => {
                for open in stack.drain(..) {
                    if let Some(slot) = close.get_mut(open) {
                        *slot = i as u32;
                    }
                }
            }
            _ => {}
        }
    }
    let end = sig.len() as u32;
    for open in stack {
        if let Some(slot) = close.get_mut(open) {
            *slot = end;
        }
    }
    close
}

/// One argument of a call: an optional keyword and the token span of its
/// value.
struct Arg<'s> {
    keyword: Option<&'s str>,
    start: usize,
    end: usize,
}

/// Read-only access to one file's significant tokens.
struct Cursor<'s> {
    src: &'s str,
    sig: &'s [Token],
    close: &'s [u32],
}

struct Reader<'s> {
    cur: Cursor<'s>,
    facts: FileFacts,
}

impl<'s> std::ops::Deref for Reader<'s> {
    type Target = Cursor<'s>;

    fn deref(&self) -> &Cursor<'s> {
        &self.cur
    }
}

impl<'s> Cursor<'s> {
    fn kind(&self, i: usize) -> TokenKind {
        self.sig.get(i).map_or(TokenKind::EndOfFile, |t| t.kind)
    }

    fn text(&self, i: usize) -> &'s str {
        self.sig
            .get(i)
            .and_then(|t| self.src.get(t.range.as_range()))
            .unwrap_or("")
    }

    fn offset(&self, i: usize) -> u32 {
        self.sig.get(i).map_or(0, |t| t.range.start)
    }

    fn is_name(&self, i: usize) -> bool {
        self.kind(i) == TokenKind::Name
    }

    /// The index after the bracket opened at `i`.
    fn after_bracket(&self, i: usize) -> usize {
        match self.close.get(i) {
            Some(&c) if c != u32::MAX => c as usize + 1,
            _ => i + 1,
        }
    }

    /// The closing bracket of the one opened at `i` (or the end).
    fn closing(&self, i: usize) -> usize {
        match self.close.get(i) {
            Some(&c) if c != u32::MAX => c as usize,
            _ => i + 1,
        }
    }

    /// The index after the dotted name starting at `i` (`a`, `a.b.c`).
    fn chain(&self, i: usize) -> Option<usize> {
        if !self.is_name(i) || is_keyword(self.text(i)) {
            return None;
        }
        let mut j = i + 1;
        while self.kind(j) == TokenKind::Dot && self.is_name(j + 1) {
            j += 2;
        }
        Some(j)
    }

    /// The parts of the dotted name at `start..end`.
    fn parts(&self, start: usize, end: usize) -> Dotted {
        (start..end)
            .step_by(2)
            .map(|k| self.text(k).to_string())
            .collect()
    }

    /// A dotted name starting at `i`: its parts and the index after it.
    fn dotted(&self, i: usize) -> Option<(Dotted, usize)> {
        let end = self.chain(i)?;
        Some((self.parts(i, end), end))
    }

    /// After `NAME` at a statement start: the index of the assigned value
    /// when this is `NAME = value` or `NAME: annotation = value`.
    fn assignment_value(&self, mut i: usize) -> Option<usize> {
        if self.kind(i) == TokenKind::Colon {
            // Skip the annotation up to `=` on the same logical line.
            i += 1;
            loop {
                match self.kind(i) {
                    TokenKind::Equal => break,
                    TokenKind::Newline | TokenKind::EndOfFile | TokenKind::Semi => return None,
                    TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                        i = self.after_bracket(i);
                    }
                    _ => i += 1,
                }
            }
        }
        (self.kind(i) == TokenKind::Equal).then_some(i + 1)
    }

    fn ends_statement(&self, i: usize) -> bool {
        matches!(
            self.kind(i),
            TokenKind::Newline | TokenKind::Semi | TokenKind::EndOfFile
        )
    }

    /// The top-level arguments of the call whose `(` is at `lpar`.
    fn args(&self, lpar: usize) -> Vec<Arg<'s>> {
        let end = self.closing(lpar).min(self.sig.len());
        let mut out = Vec::new();
        let mut start = lpar + 1;
        let mut k = start;
        while k < end {
            match self.kind(k) {
                TokenKind::Comma => {
                    self.push_arg(&mut out, start, k);
                    k += 1;
                    start = k;
                }
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                    k = self.after_bracket(k).min(end);
                }
                TokenKind::Newline | TokenKind::EndOfFile => break,
                _ => k += 1,
            }
        }
        self.push_arg(&mut out, start, k.min(end));
        out
    }

    fn push_arg(&self, out: &mut Vec<Arg<'s>>, start: usize, end: usize) {
        if start >= end {
            return;
        }
        if self.is_name(start) && self.kind(start + 1) == TokenKind::Equal {
            out.push(Arg {
                keyword: Some(self.text(start)),
                start: start + 2,
                end,
            });
        } else {
            out.push(Arg {
                keyword: None,
                start,
                end,
            });
        }
    }

    fn positional(&self, args: &[Arg<'s>], n: usize) -> Option<Value> {
        args.iter()
            .filter(|a| a.keyword.is_none())
            .nth(n)
            .map(|a| self.value(a.start, a.end))
    }

    fn keyword(&self, args: &[Arg<'s>], name: &str) -> Option<Value> {
        args.iter()
            .find(|a| a.keyword == Some(name))
            .map(|a| self.value(a.start, a.end))
    }

    /// `include_in_schema=False`.
    fn hidden(&self, args: &[Arg<'s>]) -> bool {
        args.iter().any(|a| {
            a.keyword == Some("include_in_schema")
                && a.end == a.start + 1
                && self.text(a.start) == "False"
        })
    }

    fn value(&self, mut start: usize, mut end: usize) -> Value {
        // `("/long" "/prefix")`: parentheses around a value change nothing.
        while self.kind(start) == TokenKind::Lpar
            && self.after_bracket(start) == end
            && end > start + 2
        {
            start += 1;
            end -= 1;
        }
        if let Some((text, after)) = self.strings(start) {
            if after == end {
                return Value::Str(text);
            }
            return Value::Other;
        }
        match self.name_value(start, end) {
            Some(d) => Value::Name(d),
            None => Value::Other,
        }
    }

    /// The span `start..end` when it is exactly a dotted name.
    fn name_value(&self, start: usize, end: usize) -> Option<Dotted> {
        match self.dotted(start) {
            Some((d, after)) if after == end => Some(d),
            _ => None,
        }
    }

    /// One or more adjacent string literals at `i` (none an f-string or
    /// bytes): their joined value and the index after them.
    fn strings(&self, mut i: usize) -> Option<(String, usize)> {
        let mut out = String::new();
        let mut any = false;
        while self.kind(i) == TokenKind::String {
            out.push_str(&self.string(i)?);
            any = true;
            i += 1;
        }
        any.then_some((out, i))
    }

    /// The value of the string literal at `i`, unless it is bytes.
    fn string(&self, i: usize) -> Option<String> {
        let token = *self.sig.get(i)?;
        if literal::string_prefix(self.text(i)).bytes {
            return None;
        }
        literal::string_value(self.src, token).map(|v| v.into_owned())
    }

    /// `["GET", "POST"]`, `("GET",)` or `{"GET"}`.
    fn method_list(&self, start: usize, end: usize) -> Option<Vec<Method>> {
        if !matches!(
            self.kind(start),
            TokenKind::Lsqb | TokenKind::Lpar | TokenKind::Lbrace
        ) || self.after_bracket(start) != end
        {
            return None;
        }
        let mut methods = Vec::new();
        let mut k = start + 1;
        let close = end - 1;
        while k < close {
            match self.kind(k) {
                TokenKind::String => {
                    let text = self.string(k)?;
                    methods.push(Method::parse(&text)?);
                }
                TokenKind::Comma => {}
                _ => return None,
            }
            k += 1;
        }
        methods.sort();
        methods.dedup();
        Some(methods)
    }
}

impl<'s> Reader<'s> {
    fn run(&mut self) {
        let n = self.sig.len();
        let mut i = 0;
        // At the start of a statement (a logical line, or after `;` or a
        // compound statement's `:`).
        let mut stmt_start = true;
        // At the start of a logical line.
        let mut line_start = true;
        let mut indent: i64 = 0;
        let mut nesting: i64 = 0;
        // Enclosing `def`s: (indent of the `def` line, index in functions).
        let mut frames: Vec<(i64, usize)> = Vec::new();
        while i < n {
            let kind = self.kind(i);
            match kind {
                TokenKind::Newline => {
                    stmt_start = true;
                    line_start = true;
                    nesting = 0;
                    i += 1;
                    continue;
                }
                TokenKind::Indent => {
                    indent += 1;
                    i += 1;
                    continue;
                }
                TokenKind::Dedent => {
                    indent -= 1;
                    i += 1;
                    continue;
                }
                TokenKind::EndOfFile => break,
                _ => {}
            }
            let at_stmt = stmt_start && nesting == 0;
            stmt_start = false;
            if std::mem::take(&mut line_start) {
                // A statement at or left of a `def` line ends that `def`.
                while frames.last().is_some_and(|&(level, _)| level >= indent) {
                    frames.pop();
                }
            }
            let scope = frames.last().map(|&(_, f)| f);
            match kind {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => nesting += 1,
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => nesting -= 1,
                TokenKind::Semi => stmt_start = true,
                TokenKind::Colon if nesting == 0 => stmt_start = true,
                _ => {}
            }
            if kind == TokenKind::At && at_stmt {
                if let Some((name, after)) = self.dotted(i + 1) {
                    if self.kind(after) == TokenKind::Lpar {
                        self.route_call(&name, i, after, scope);
                    }
                    // The decorator's arguments are read by the main loop.
                    i = after;
                    continue;
                }
            }
            if kind != TokenKind::Name {
                i += 1;
                continue;
            }
            let word = self.text(i);
            if at_stmt {
                match word {
                    "async" => {
                        stmt_start = true;
                        i += 1;
                        continue;
                    }
                    "def" => {
                        if let Some(f) = self.def(i) {
                            frames.push((indent, f));
                        }
                        i += 2;
                        continue;
                    }
                    "import" => {
                        i = self.import(i + 1);
                        continue;
                    }
                    "from" => {
                        i = self.import_from(i + 1);
                        continue;
                    }
                    _ => {}
                }
            }
            if i > 0 && self.kind(i - 1) == TokenKind::Dot {
                i += 1;
                continue;
            }
            let Some(after) = self.chain(i) else {
                i += 1;
                continue;
            };
            if at_stmt && after == i + 1 {
                if let Some(value_at) = self.assignment_value(after) {
                    self.assignment(i, value_at);
                    i = value_at;
                    continue;
                }
            }
            if self.kind(after) == TokenKind::Lpar {
                self.call(i, after, scope);
            }
            i = after;
        }
    }

    /// `def NAME(params)`: records the function, returns its index.
    fn def(&mut self, i: usize) -> Option<usize> {
        if !self.is_name(i + 1) || self.kind(i + 2) != TokenKind::Lpar {
            return None;
        }
        let name = self.text(i + 1).to_string();
        let mut params = Vec::new();
        for arg in self.args(i + 2) {
            if let Some(kw) = arg.keyword {
                params.push(kw.to_string());
                continue;
            }
            let mut k = arg.start;
            while matches!(self.kind(k), TokenKind::Star | TokenKind::DoubleStar) && k < arg.end {
                k += 1;
            }
            if k < arg.end && self.is_name(k) {
                params.push(self.text(k).to_string());
            }
        }
        self.facts.functions.push(FnDef { name, params });
        Some(self.facts.functions.len() - 1)
    }

    /// `import a.b.c [as x], ...`; returns the index after the statement.
    fn import(&mut self, mut i: usize) -> usize {
        loop {
            let Some((path, after)) = self.dotted(i) else {
                return i;
            };
            i = after;
            if self.text(i) == "as" && self.is_name(i + 1) {
                let alias = self.text(i + 1).to_string();
                self.facts
                    .bindings
                    .push((alias, Binding::Module(ModRef { level: 0, path })));
                i += 2;
            } else if let Some(first) = path.first().cloned() {
                self.facts.bindings.push((
                    first.clone(),
                    Binding::Module(ModRef {
                        level: 0,
                        path: vec![first],
                    }),
                ));
            }
            if self.kind(i) != TokenKind::Comma {
                return i;
            }
            i += 1;
        }
    }

    /// `from .a.b import (x as y, z)`; returns the index after the statement.
    fn import_from(&mut self, mut i: usize) -> usize {
        let mut level = 0u32;
        loop {
            match self.kind(i) {
                TokenKind::Dot => level += 1,
                // `...` is one operator token.
                TokenKind::Operator if self.text(i) == "..." => level += 3,
                _ => break,
            }
            i += 1;
        }
        let path = match self.dotted(i) {
            Some((path, after)) => {
                i = after;
                path
            }
            None => Vec::new(),
        };
        if self.text(i) != "import" {
            return i;
        }
        i += 1;
        let module = ModRef { level, path };
        let (start, end) = if self.kind(i) == TokenKind::Lpar {
            (i + 1, self.closing(i))
        } else {
            (i, usize::MAX)
        };
        let mut k = start;
        while k < end && self.is_name(k) {
            let name = self.text(k).to_string();
            k += 1;
            let alias = if self.text(k) == "as" && self.is_name(k + 1) {
                k += 2;
                self.text(k - 1).to_string()
            } else {
                name.clone()
            };
            self.facts
                .bindings
                .push((alias, Binding::From(module.clone(), name)));
            if self.kind(k) != TokenKind::Comma {
                break;
            }
            k += 1;
        }
        if end == usize::MAX {
            k
        } else {
            end + 1
        }
    }

    /// `target = value`, the target's name at token `at`, the value at `v`.
    fn assignment(&mut self, at: usize, v: usize) {
        let target = self.text(at);
        if !matches!(self.kind(v), TokenKind::String | TokenKind::Name) {
            return;
        }
        if self.kind(v) == TokenKind::String {
            if let Some((text, after)) = self.strings(v) {
                if self.ends_statement(after) {
                    self.facts.constants.insert(target.to_string(), text);
                }
            }
            return;
        }
        let Some(after) = self.chain(v) else {
            return;
        };
        if self.ends_statement(after) {
            let alias = self.parts(v, after);
            self.facts
                .bindings
                .push((target.to_string(), Binding::Alias(alias)));
            return;
        }
        if self.kind(after) != TokenKind::Lpar {
            return;
        }
        let Some(is_app) = router_constructor(self.text(after - 1)) else {
            return;
        };
        let args = self.args(after);
        let prefix = self.keyword(&args, "prefix");
        let hidden = self.hidden(&args);
        self.facts.routers.push(RouterDef {
            name: target.to_string(),
            is_app,
            prefix,
            hidden,
            offset: self.offset(at),
        });
    }

    /// A call `name(...)`: the name from token `at`, its `(` at `lpar`.
    fn call(&mut self, at: usize, lpar: usize, scope: Option<usize>) {
        let last = self.text(lpar - 1);
        let special = lpar > at + 1
            && (last == "include_router"
                || last == "add_api_route"
                || route_method(last).is_some());
        if !special {
            // Read further only if the callee turns out to pass routers on.
            self.facts.calls.push(CallSite {
                start: at,
                lpar,
                scope,
            });
            return;
        }
        let name = &self.parts(at, lpar);
        if last == "include_router" {
            let args = self.args(lpar);
            let router = match self
                .positional(&args, 0)
                .or_else(|| self.keyword(&args, "router"))
            {
                Some(Value::Name(d)) => Some(d),
                _ => None,
            };
            let include = IncludeSite {
                receiver: name[..name.len() - 1].to_vec(),
                router,
                prefix: self.keyword(&args, "prefix"),
                hidden: self.hidden(&args),
                offset: self.offset(at),
                scope,
            };
            self.facts.includes.push(include);
            return;
        }
        if last == "add_api_route" {
            let args = self.args(lpar);
            let path = self
                .positional(&args, 0)
                .or_else(|| self.keyword(&args, "path"));
            self.push_route(name, None, path, &args, at, scope);
            return;
        }
        // `app.post("/p")(handler)`: a route declared by a call.
        if route_method(last).is_some() && self.kind(self.after_bracket(lpar)) == TokenKind::Lpar {
            self.route_call(name, at, lpar, scope);
        }
    }

    /// A route decorator or route call `receiver.method(path, ...)`.
    fn route_call(&mut self, name: &Dotted, at: usize, lpar: usize, scope: Option<usize>) {
        let Some(method) = name.last().and_then(|l| route_method(l)) else {
            return;
        };
        if name.len() < 2 {
            return;
        }
        let args = self.args(lpar);
        let path = self
            .positional(&args, 0)
            .or_else(|| self.keyword(&args, "path"));
        self.push_route(name, method, path, &args, at, scope);
    }

    fn push_route(
        &mut self,
        name: &Dotted,
        method: Option<Method>,
        path: Option<Value>,
        args: &[Arg<'s>],
        at: usize,
        scope: Option<usize>,
    ) {
        let methods = match method {
            Some(m) => vec![m],
            None => match args.iter().find(|a| a.keyword == Some("methods")) {
                Some(arg) => match self.method_list(arg.start, arg.end) {
                    Some(methods) => methods,
                    None => {
                        self.facts.notes.push(Note {
                            offset: self.offset(at),
                            kind: "route-methods",
                            message: "the `methods` of this route are not a list of string literals; route skipped".to_string(),
                        });
                        return;
                    }
                },
                None => vec![Method::Get],
            },
        };
        let path = path.unwrap_or(Value::Other);
        self.facts.routes.push(RouteSite {
            receiver: name[..name.len().saturating_sub(1)].to_vec(),
            methods,
            path,
            hidden: self.hidden(args),
            offset: self.offset(at),
            scope,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> FileFacts {
        let tokens = crate::python::lexer::tokenize(src).tokens;
        read(src, tokens)
    }

    fn d(s: &str) -> Dotted {
        s.split('.').map(String::from).collect()
    }

    fn routes(src: &str) -> Vec<(String, Vec<Method>, Value, bool)> {
        facts(src)
            .routes
            .into_iter()
            .map(|r| (r.receiver.join("."), r.methods, r.path, r.hidden))
            .collect()
    }

    fn s(text: &str) -> Value {
        Value::Str(text.to_string())
    }

    #[test]
    fn decorators_of_any_receiver_spanning_lines() {
        let src = "@router.get(\"/a\")\nasync def a(): ...\n\n@app.post(\n    \"/b\",\n    response_model=B,\n    dependencies=[Depends(auth)],\n)\ndef b(): ...\n";
        assert_eq!(
            routes(src),
            [
                ("router".into(), vec![Method::Get], s("/a"), false),
                ("app".into(), vec![Method::Post], s("/b"), false),
            ]
        );
    }

    #[test]
    fn stacked_decorators_with_others_between() {
        let src = "@r.get(\"\")\n@require_permission(\"x\")\n@r.get(\"/\")\n# note\n@cache\nasync def f(): ...\n";
        let got = facts(src).routes;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].path, s(""));
        assert_eq!(got[1].path, s("/"));
        assert_eq!(got[1].offset as usize, src.find("@r.get(\"/\")").unwrap());
    }

    #[test]
    fn api_route_methods_and_websockets() {
        let src = "@x.api_route(\"/m\", methods=[\"GET\", \"put\"])\ndef m(): ...\n@x.api_route(\"/d\")\ndef d(): ...\n@x.websocket(\"/ws\")\nasync def ws(s): ...\n@x.api_route(\"/bad\", methods=METHODS)\ndef bad(): ...\n";
        let f = facts(src);
        let got: Vec<_> = f
            .routes
            .iter()
            .map(|r| (r.path.clone(), r.methods.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (s("/m"), vec![Method::Get, Method::Put]),
                (s("/d"), vec![Method::Get]),
            ]
        );
        assert_eq!(f.notes.len(), 1);
        assert_eq!(f.notes[0].kind, "route-methods");
    }

    #[test]
    fn routes_declared_by_calls() {
        let src = "app.post(\"/initialize\")(initialize)\nrouter.add_api_route(\"/x\", fn, methods=[\"GET\", \"HEAD\"])\nrouter.add_api_route(path=\"/y\", endpoint=fn)\nclient.get(\"/not-a-route\")\n";
        assert_eq!(
            routes(src),
            [
                ("app".into(), vec![Method::Post], s("/initialize"), false),
                (
                    "router".into(),
                    vec![Method::Get, Method::Head],
                    s("/x"),
                    false
                ),
                ("router".into(), vec![Method::Get], s("/y"), false),
            ]
        );
    }

    #[test]
    fn hidden_routes_and_paths_that_are_not_literals() {
        let src = "@app.get(\"/favicon.ico\", include_in_schema=False)\ndef f(): ...\n@app.get(PATH)\ndef g(): ...\n@app.get(f\"/{x}\")\ndef h(): ...\n@app.get(\"/a\" \"/b\")\ndef i(): ...\n";
        assert_eq!(
            routes(src),
            [
                ("app".into(), vec![Method::Get], s("/favicon.ico"), true),
                (
                    "app".into(),
                    vec![Method::Get],
                    Value::Name(d("PATH")),
                    false
                ),
                ("app".into(), vec![Method::Get], Value::Other, false),
                ("app".into(), vec![Method::Get], s("/a/b"), false),
            ]
        );
    }

    #[test]
    fn docstrings_holding_decorators_are_strings() {
        let src = "\"\"\"Module.\n\n    @router.get(\"/fake\")\n\"\"\"\ndef f():\n    '''\n    @app.post(\"/fake\")\n    app.include_router(x)\n    '''\n";
        let f = facts(src);
        assert!(f.routes.is_empty());
        assert!(f.includes.is_empty());
    }

    #[test]
    fn routers_prefixes_and_constants() {
        let src = "PREFIX = \"/tools\"\napp = FastAPI(title=\"x\")\nrouter = APIRouter(\n    prefix=\"/teams\",\n    tags=[\"Teams\"],\n)\nr2: APIRouter = fastapi.APIRouter(prefix=PREFIX, include_in_schema=False)\nr3 = APIRouter(prefix=settings.api_prefix)\nother = make()\nr4 = APIRouter(prefix=(\n    \"/very\"\n    \"/long\"\n))\n";
        let f = facts(src);
        assert_eq!(
            f.constants.get("PREFIX").map(String::as_str),
            Some("/tools")
        );
        let got: Vec<_> = f
            .routers
            .iter()
            .map(|r| (r.name.as_str(), r.is_app, r.prefix.clone(), r.hidden))
            .collect();
        assert_eq!(
            got,
            [
                ("app", true, None, false),
                ("router", false, Some(s("/teams")), false),
                ("r2", false, Some(Value::Name(d("PREFIX"))), true),
                (
                    "r3",
                    false,
                    Some(Value::Name(d("settings.api_prefix"))),
                    false
                ),
                ("r4", false, Some(s("/very/long")), false),
            ]
        );
    }

    #[test]
    fn imports_and_aliases() {
        let src = "import os\nimport app.routers.teams as t\nfrom .routers import teams as t2, tools\nfrom ..x import (\n    router as teams_router,\n    other,\n)\nfrom . import users\ntry:\n    from .routers import experimental\nexcept ImportError:\n    pass\nalias = t.router\n";
        let f = facts(src);
        let m = |level, p: &str| ModRef {
            level,
            path: if p.is_empty() { vec![] } else { d(p) },
        };
        assert_eq!(
            f.bindings,
            [
                ("os".to_string(), Binding::Module(m(0, "os"))),
                ("t".to_string(), Binding::Module(m(0, "app.routers.teams"))),
                (
                    "t2".to_string(),
                    Binding::From(m(1, "routers"), "teams".into())
                ),
                (
                    "tools".to_string(),
                    Binding::From(m(1, "routers"), "tools".into())
                ),
                (
                    "teams_router".to_string(),
                    Binding::From(m(2, "x"), "router".into())
                ),
                (
                    "other".to_string(),
                    Binding::From(m(2, "x"), "other".into())
                ),
                ("users".to_string(), Binding::From(m(1, ""), "users".into())),
                (
                    "experimental".to_string(),
                    Binding::From(m(1, "routers"), "experimental".into())
                ),
                ("alias".to_string(), Binding::Alias(d("t.router"))),
            ]
        );
    }

    #[test]
    fn includes_inside_functions_and_conditionals() {
        let src = "def register(target: APIRouter, *, extra=None) -> None:\n    target.include_router(t.router)\n    if x:\n        target.include_router(\n            other,\n            prefix=\"/o\",\n            include_in_schema=False,\n        )\n    settings.apply(1, x.y, z=w)\n\napp.include_router(api, prefix=settings.api_prefix)\nregister(api_router)\n";
        let f = facts(src);
        assert_eq!(
            f.functions,
            [FnDef {
                name: "register".into(),
                params: vec!["target".into(), "extra".into()]
            }]
        );
        let got: Vec<_> = f
            .includes
            .iter()
            .map(|i| {
                (
                    i.receiver.join("."),
                    i.router.clone(),
                    i.prefix.clone(),
                    i.hidden,
                    i.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("target".into(), Some(d("t.router")), None, false, Some(0)),
                (
                    "target".into(),
                    Some(d("other")),
                    Some(s("/o")),
                    true,
                    Some(0)
                ),
                (
                    "app".into(),
                    Some(d("api")),
                    Some(Value::Name(d("settings.api_prefix"))),
                    false,
                    None
                ),
            ]
        );
        let calls: Vec<_> = f
            .calls
            .iter()
            .map(|c| (callee_last(src, &f, c), call_args(src, &f, c), c.scope))
            .collect();
        let register = CallArgs {
            callee: d("register"),
            positional: vec![Some(d("api_router"))],
            keywords: vec![],
        };
        let apply = CallArgs {
            callee: d("settings.apply"),
            positional: vec![None, Some(d("x.y"))],
            keywords: vec![("z".to_string(), d("w"))],
        };
        assert_eq!(
            calls,
            [("apply", apply, Some(0)), ("register", register, None)]
        );
    }

    #[test]
    fn one_line_defs_end_at_the_next_statement() {
        let src = "def f(r): r.include_router(a)\nif x:\n    app.include_router(b)\n";
        let f = facts(src);
        let scopes: Vec<_> = f.includes.iter().map(|i| i.scope).collect();
        assert_eq!(scopes, [Some(0), None]);
    }
}
