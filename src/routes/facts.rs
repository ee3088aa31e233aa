//! What one Python file says about routing, read from its tokens in one
//! pass: routers it creates, routes it declares, routers it includes and
//! applications it mounts, names it imports, string constants (literals,
//! f-strings and `+` of names), classes, functions and the calls that pass
//! names to them.
//!
//! Names a class owns are read as `Class.name`: assigned in the class body,
//! or on `self` in a method (`self.router = APIRouter()`), and used the same
//! way (`self.router.get(...)`, `@router.get` in the body).
//!
//! Nothing here looks at another file; [`super::resolve`] joins the files.
//! Strings (docstrings included) are single tokens, so an example decorator
//! inside a docstring is never seen as a route.

use std::collections::{HashMap, HashSet};

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
    /// Text built from literals and names: an f-string whose fields are
    /// names (`f"{API_PREFIX}/teams"`), or `+` between strings and names
    /// (`API_PREFIX + "/teams"`).
    Concat(Vec<Piece>),
    /// Anything else (a call, another expression).
    Other,
}

/// A piece of a [`Value::Concat`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Str(String),
    Name(Dotted),
}

impl Value {
    /// The value of `pieces` joined: a literal or a name when it is one.
    fn from_pieces(mut pieces: Vec<Piece>) -> Value {
        match pieces.len() {
            0 => Value::Str(String::new()),
            1 => match pieces.pop() {
                Some(Piece::Str(s)) => Value::Str(s),
                Some(Piece::Name(d)) => Value::Name(d),
                None => Value::Other,
            },
            _ => Value::Concat(pieces),
        }
    }
}

/// How a dotted name is shown: `ToolsView().router` for the parts
/// `["ToolsView", "()", "router"]`.
pub fn show(d: &Dotted) -> String {
    let mut out = String::new();
    for part in d {
        if !out.is_empty() && part != CALL {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

/// The part of a [`Dotted`] that stands for a call (`ToolsView()` in
/// `ToolsView().router`); never a Python name.
pub const CALL: &str = "()";

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

/// `receiver.include_router(router, prefix=..., include_in_schema=...)`, or
/// `receiver.mount(path, app)` (`mount` set, the path as `prefix`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeSite {
    pub receiver: Dotted,
    /// The included router, when it is a name (or `Class().attr`).
    pub router: Option<Dotted>,
    /// `prefix=`; `None` when absent.
    pub prefix: Option<Value>,
    /// A mounted application (`app.mount("/sub", subapp)`).
    pub mount: bool,
    pub hidden: bool,
    pub offset: u32,
    pub scope: Option<usize>,
}

/// A call `callee(...)`, kept as byte offsets into the file's text: most
/// calls never matter, so their arguments are read only when the callee
/// is a function that passes routers on ([`call_args`]), by tokenizing
/// the call's text again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallSite {
    /// Where the callee's first name starts.
    pub start: u32,
    /// The callee's last name (`register` in `setup.register(x)`).
    pub name: (u32, u32),
    /// Where the `(` is.
    pub lpar: u32,
    /// Just after the closing `)`; just after the `(` when it is never
    /// closed.
    pub end: u32,
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
pub fn callee_last<'a>(src: &'a str, call: &CallSite) -> &'a str {
    src.get(call.name.0 as usize..call.name.1 as usize)
        .unwrap_or("")
}

/// Reads a recorded call's callee and name arguments.
pub fn call_args(src: &str, call: &CallSite) -> CallArgs {
    let text = src
        .get(call.start as usize..call.end as usize)
        .unwrap_or("");
    let (sig, close) = significant(crate::python::lexer::tokenize(text).tokens);
    let cur = Cursor {
        src: text,
        sig: &sig,
        close: &close,
    };
    let at = call.lpar.saturating_sub(call.start);
    let lpar = sig
        .iter()
        .position(|t| t.kind == TokenKind::Lpar && t.range.start == at)
        .unwrap_or(sig.len());
    let mut out = CallArgs {
        callee: cur.parts(0, lpar),
        positional: Vec::new(),
        keywords: Vec::new(),
    };
    for arg in cur.args(lpar) {
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
    /// `NAME = "text"`, `NAME = f"{OTHER}/x"`, `NAME = OTHER + "/x"`. A
    /// name assigned in a class body or on `self` in a method is
    /// `Class.name`.
    pub constants: HashMap<String, Value>,
    /// Names of the classes the file defines.
    pub classes: Vec<String>,
    pub functions: Vec<FnDef>,
    pub routes: Vec<RouteSite>,
    pub includes: Vec<IncludeSite>,
    pub calls: Vec<CallSite>,
    pub notes: Vec<Note>,
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
pub fn read(src: &str, tokens: Vec<Token>) -> FileFacts {
    let (sig, close) = significant(tokens);
    let mut reader = Reader {
        cur: Cursor {
            src,
            sig: &sig,
            close: &close,
        },
        facts: FileFacts::default(),
        frames: Vec::new(),
    };
    reader.run();
    reader.facts
}

/// The tokens the reader walks (trivia dropped) and their bracket table:
/// one file's, or one call's when its arguments are read again.
fn significant(mut tokens: Vec<Token>) -> (Vec<Token>, Vec<u32>) {
    tokens.retain(|t| !t.kind.is_trivia());
    let close = match_brackets(&tokens);
    (tokens, close)
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
    /// Enclosing `def`s and `class`es, each with the indent of its line.
    frames: Vec<(i64, Frame)>,
}

/// A block that gives names their meaning.
enum Frame {
    /// A `def`, by index in [`FileFacts::functions`].
    Def(usize),
    /// A `class`, and the names its body has assigned so far.
    Class {
        name: String,
        names: HashSet<String>,
    },
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
        match self.string_expr(start, 0) {
            Some((pieces, after)) if after == end => Value::from_pieces(pieces),
            _ => Value::Other,
        }
    }

    /// The span `start..end` when it is exactly a dotted name.
    fn name_value(&self, start: usize, end: usize) -> Option<Dotted> {
        match self.dotted(start) {
            Some((d, after)) if after == end => Some(d),
            _ => None,
        }
    }

    /// Text built from string literals, f-strings whose fields are names,
    /// names, and `+` between them, starting at `i`: its pieces and the
    /// index after it.
    fn string_expr(&self, mut i: usize, depth: usize) -> Option<(Vec<Piece>, usize)> {
        let mut pieces = Vec::new();
        loop {
            i = self.operand(i, &mut pieces, depth)?;
            if self.kind(i) != TokenKind::Plus {
                return Some((pieces, i));
            }
            i += 1;
        }
    }

    /// One operand of [`Cursor::string_expr`]; returns the index after it.
    fn operand(&self, i: usize, pieces: &mut Vec<Piece>, depth: usize) -> Option<usize> {
        match self.kind(i) {
            TokenKind::String | TokenKind::FStringStart => {
                // Adjacent literals are one.
                let mut k = i;
                loop {
                    match self.kind(k) {
                        TokenKind::String => {
                            push_str(pieces, &self.string(k)?);
                            k += 1;
                        }
                        TokenKind::FStringStart => k = self.fstring(k, pieces)?,
                        _ => return Some(k),
                    }
                }
            }
            TokenKind::Name => {
                // `API_PREFIX`, `config.API_PREFIX`, `Settings().api_prefix`.
                let (after, called) = self.instance_end(i)?;
                if called || matches!(self.kind(after), TokenKind::Lpar | TokenKind::Lsqb) {
                    return None;
                }
                pieces.push(Piece::Name(self.instance_ref(i)?.0));
                Some(after)
            }
            TokenKind::Lpar if depth < 8 => {
                let close = self.closing(i);
                let (inner, after) = self.string_expr(i + 1, depth + 1)?;
                if after != close || self.kind(close) != TokenKind::Rpar {
                    return None;
                }
                for piece in inner {
                    match piece {
                        Piece::Str(s) => push_str(pieces, &s),
                        name => pieces.push(name),
                    }
                }
                Some(close + 1)
            }
            _ => None,
        }
    }

    /// The f-string starting at `i` when every field is a name with no
    /// conversion or format (`f"{API_PREFIX}/teams"`); returns the index
    /// after it.
    fn fstring(&self, i: usize, pieces: &mut Vec<Piece>) -> Option<usize> {
        let end = literal::fstring_end(self.sig, i)?;
        let tokens = self.sig.get(i..=end)?;
        // Text and names only; anything else is never read.
        let simple = tokens.iter().skip(1).all(|t| {
            matches!(
                t.kind,
                TokenKind::FStringMiddle
                    | TokenKind::FStringEnd
                    | TokenKind::Lbrace
                    | TokenKind::Rbrace
                    | TokenKind::Name
                    | TokenKind::Dot
            )
        });
        if !simple {
            return None;
        }
        for part in literal::fstring_parts(self.src, tokens) {
            match part {
                literal::FStringPart::Literal(text) => push_str(pieces, &text),
                literal::FStringPart::Field { tokens, .. } => {
                    // `{NAME}` only: not `{NAME!r}`, `{NAME:>9}`, `{NAME=}`.
                    if self.kind(i + tokens.end) != TokenKind::Rbrace {
                        return None;
                    }
                    let name = self.name_value(i + tokens.start, i + tokens.end)?;
                    pieces.push(Piece::Name(name));
                }
            }
        }
        Some(end + 1)
    }

    /// A dotted name, perhaps called once and followed by more names
    /// (`view.router`, `ToolsView().router`, `Settings()`): its parts, the
    /// call as [`CALL`], and the index after it.
    fn instance_ref(&self, start: usize) -> Option<(Dotted, usize)> {
        let (end, _) = self.instance_end(start)?;
        let mut d = Vec::new();
        let mut k = start;
        while k < end {
            match self.kind(k) {
                TokenKind::Name => d.push(self.text(k).to_string()),
                TokenKind::Lpar => {
                    d.push(CALL.to_string());
                    k = self.closing(k);
                }
                _ => {}
            }
            k += 1;
        }
        Some((d, end))
    }

    /// Where [`Cursor::instance_ref`] at `start` ends, and whether it ends
    /// with the call; reads without copying.
    fn instance_end(&self, start: usize) -> Option<(usize, bool)> {
        let mut k = self.chain(start)?;
        if self.kind(k) != TokenKind::Lpar {
            return Some((k, false));
        }
        k = self.after_bracket(k);
        let mut called = true;
        while self.kind(k) == TokenKind::Dot && self.is_name(k + 1) {
            called = false;
            k += 2;
        }
        Some((k, called))
    }

    /// The span `start..end` when it names a router: a dotted name, or an
    /// attribute of an instance (`ToolsView().router`), never a call's
    /// result alone (`make_router()`).
    fn router_ref(&self, start: usize, end: usize) -> Option<Dotted> {
        match self.instance_ref(start) {
            Some((d, after)) if after == end && d.last().is_some_and(|l| l != CALL) => Some(d),
            _ => None,
        }
    }

    /// The argument `n`th positional or named `name`: its token span.
    fn arg_span(&self, args: &[Arg<'s>], n: usize, name: &str) -> Option<(usize, usize)> {
        args.iter()
            .filter(|a| a.keyword.is_none())
            .nth(n)
            .or_else(|| args.iter().find(|a| a.keyword == Some(name)))
            .map(|a| (a.start, a.end))
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
        // The innermost enclosing `def`, as of the statement read.
        let mut scope: Option<usize> = None;
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
                while self
                    .frames
                    .last()
                    .is_some_and(|(level, _)| *level >= indent)
                {
                    self.frames.pop();
                }
                scope = self.scope();
            }
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
                            self.frames.push((indent, Frame::Def(f)));
                            scope = Some(f);
                        }
                        i += 2;
                        continue;
                    }
                    "class" if self.is_name(i + 1) => {
                        let name = self.text(i + 1).to_string();
                        self.facts.classes.push(name.clone());
                        let names = HashSet::new();
                        self.frames.push((indent, Frame::Class { name, names }));
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
            if at_stmt {
                if let Some(value_at) = self.assignment_value(after) {
                    if after == i + 1 {
                        self.assignment(None, i, value_at);
                    } else if let Some(target) = self.self_attribute(i, after) {
                        self.assignment(Some(target), i, value_at);
                    }
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

    /// The innermost enclosing `def`.
    fn scope(&self) -> Option<usize> {
        self.frames.iter().rev().find_map(|(_, frame)| match frame {
            Frame::Def(f) => Some(*f),
            Frame::Class { .. } => None,
        })
    }

    /// The class whose method this statement is in, and the method's first
    /// parameter (`self`, `cls`).
    fn method_of(&self) -> Option<(&str, &str)> {
        let [.., (_, Frame::Class { name, .. }), (_, Frame::Def(f))] = self.frames.as_slice()
        else {
            return None;
        };
        let this = self.facts.functions.get(*f)?.params.first()?;
        Some((name, this))
    }

    /// What a name assigned here is called: `Class.name` in a class body
    /// (remembered, so the body's later uses of it find it), else itself.
    fn own_name(&mut self, word: &str) -> String {
        match self.frames.last_mut() {
            Some((_, Frame::Class { name, names })) => {
                if !names.contains(word) {
                    names.insert(word.to_string());
                }
                format!("{name}.{word}")
            }
            _ => word.to_string(),
        }
    }

    /// `self.NAME` at tokens `at..after` in a method: `Class.NAME`.
    fn self_attribute(&self, at: usize, after: usize) -> Option<String> {
        let (class, this) = self.method_of()?;
        (after == at + 3 && self.text(at) == this).then(|| format!("{class}.{}", self.text(at + 2)))
    }

    /// A dotted name as the class it is used in means it: `self.router` in
    /// a method and `router` in a class body that assigned it are
    /// `Class.router`.
    fn qualify(&self, mut d: Dotted) -> Dotted {
        let qualified = match self.frames.last() {
            Some((_, Frame::Class { name, names })) => d
                .first()
                .filter(|first| names.contains(first.as_str()))
                .map(|first| format!("{name}.{first}")),
            Some((_, Frame::Def(_))) => match (self.method_of(), d.as_slice()) {
                (Some((class, this)), [first, attr, ..]) if first == this => {
                    Some(format!("{class}.{attr}"))
                }
                _ => None,
            },
            None => None,
        };
        if let Some(qualified) = qualified {
            let rest = if matches!(self.frames.last(), Some((_, Frame::Def(_)))) {
                2
            } else {
                1
            };
            d.splice(..rest.min(d.len()), [qualified]);
        }
        d
    }

    /// [`Reader::qualify`] for every name in a value.
    fn qualify_value(&self, value: Value) -> Value {
        if self.frames.is_empty() {
            return value;
        }
        match value {
            Value::Name(d) => Value::Name(self.qualify(d)),
            Value::Concat(pieces) => Value::Concat(
                pieces
                    .into_iter()
                    .map(|p| match p {
                        Piece::Name(d) => Piece::Name(self.qualify(d)),
                        text => text,
                    })
                    .collect(),
            ),
            other => other,
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

    /// `target = value`, the target's name at token `at` (or `target`
    /// when given), the value at `v`.
    fn assignment(&mut self, target: Option<String>, at: usize, v: usize) {
        // Named only when something is recorded: most assignments are not.
        let target =
            move |reader: &mut Self| target.unwrap_or_else(|| reader.own_name(reader.cur.text(at)));
        if let Some((pieces, after)) = self.string_expr(v, 0) {
            if self.ends_statement(after) {
                let target = target(self);
                match self.qualify_value(Value::from_pieces(pieces)) {
                    Value::Name(alias) => {
                        // `self.router = router`: a parameter, not the
                        // file's name; what it is stays unknown.
                        let param = self.scope().and_then(|f| self.facts.functions.get(f));
                        if param.is_some_and(|def| {
                            alias.first().is_some_and(|a| def.params.contains(a))
                        }) {
                            return;
                        }
                        self.facts.constants.remove(&target);
                        self.facts.bindings.push((target, Binding::Alias(alias)));
                    }
                    value => {
                        self.facts.constants.insert(target, value);
                    }
                }
                return;
            }
        }
        let Some(after) = self.chain(v) else {
            return;
        };
        if self.kind(after) != TokenKind::Lpar {
            return;
        }
        let callee = self.text(after - 1);
        if let Some(is_app) = router_constructor(callee) {
            let args = self.args(after);
            let prefix = self.keyword(&args, "prefix").map(|p| self.qualify_value(p));
            let hidden = self.hidden(&args);
            let name = target(self);
            self.facts.routers.push(RouterDef {
                name,
                is_app,
                prefix,
                hidden,
                offset: self.offset(at),
            });
            return;
        }
        // `view = ToolsView()`, `router = ToolsView().router`: an instance of
        // a class (by its name's capital), or its attribute.
        if !callee.starts_with(|ch: char| ch.is_ascii_uppercase()) {
            return;
        }
        if let Some((instance, end)) = self.instance_ref(v) {
            if self.ends_statement(end) {
                let target = target(self);
                let alias = Binding::Alias(self.qualify(instance));
                self.facts.bindings.push((target, alias));
            }
        }
    }

    /// A call `name(...)`: the name from token `at`, its `(` at `lpar`.
    fn call(&mut self, at: usize, lpar: usize, scope: Option<usize>) {
        let last = self.text(lpar - 1);
        let special = lpar > at + 1
            && (last == "include_router"
                || last == "add_api_route"
                || last == "mount"
                || route_method(last).is_some());
        if !special || last == "mount" {
            // Read further only if the callee turns out to pass routers on
            // (`helpers.mount(app, router)` may be a function of ours).
            let name = self
                .sig
                .get(lpar - 1)
                .map_or((0, 0), |t| (t.range.start, t.range.end));
            let close = self.closing(lpar);
            let end = self.sig.get(close).map_or(u32::MAX, |t| t.range.end);
            self.facts.calls.push(CallSite {
                start: self.offset(at),
                name,
                lpar: self.offset(lpar),
                end: end.min(self.src.len() as u32),
                scope,
            });
            if !special {
                return;
            }
        }
        let name = &self.parts(at, lpar);
        let receiver = || self.qualify(name[..name.len() - 1].to_vec());
        if last == "include_router" || last == "mount" {
            let mount = last == "mount";
            let args = self.args(lpar);
            let router = if mount {
                self.arg_span(&args, 1, "app")
            } else {
                self.arg_span(&args, 0, "router")
            };
            let router = router
                .and_then(|(start, end)| self.router_ref(start, end))
                .map(|d| self.qualify(d));
            let prefix = if mount {
                self.arg_span(&args, 0, "path")
                    .map(|(start, end)| self.value(start, end))
            } else {
                self.keyword(&args, "prefix")
            };
            let include = IncludeSite {
                receiver: receiver(),
                router,
                prefix: prefix.map(|p| self.qualify_value(p)),
                mount,
                hidden: !mount && self.hidden(&args),
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
        let path = self.qualify_value(path.unwrap_or(Value::Other));
        self.facts.routes.push(RouteSite {
            receiver: self.qualify(name[..name.len().saturating_sub(1)].to_vec()),
            methods,
            path,
            hidden: self.hidden(args),
            offset: self.offset(at),
            scope,
        });
    }
}

/// Appends literal text, joined to the piece before when that is text.
fn push_str(pieces: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Str(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Str(text.to_string()));
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
        let src = "@app.get(\"/favicon.ico\", include_in_schema=False)\ndef f(): ...\n@app.get(PATH)\ndef g(): ...\n@app.get(f\"/{x!r}\")\ndef h(): ...\n@app.get(\"/a\" \"/b\")\ndef i(): ...\n@app.get(\"/%s\" % x)\ndef j(): ...\n";
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
                ("app".into(), vec![Method::Get], Value::Other, false),
            ]
        );
    }

    #[test]
    fn text_from_fstrings_and_concatenation_of_names() {
        let f = facts(
            "A = f\"{BASE}/teams\"\nB = BASE + \"/x\" + cfg.SUB\nC = (\"/a\" + (D)) + \"/z\"\nE = f\"{BASE:>3}\"\nF = f\"{BASE=}\"\nG = f\"{f(x)}\"\nH = BASE + 1\nI = b\"/x\"\nJ = f\"/{{literal}}\" \"/y\"\nK = \"/k\" + make()\n",
        );
        let n = |s: &str| Piece::Name(d(s));
        let t = |s: &str| Piece::Str(s.to_string());
        let mut got: Vec<_> = f.constants.iter().collect();
        got.sort_by_key(|(k, _)| k.as_str());
        let a = Value::Concat(vec![n("BASE"), t("/teams")]);
        let b = Value::Concat(vec![n("BASE"), t("/x"), n("cfg.SUB")]);
        let c = Value::Concat(vec![t("/a"), n("D"), t("/z")]);
        let j = s("/{literal}/y");
        assert_eq!(
            got,
            [
                (&"A".to_string(), &a),
                (&"B".to_string(), &b),
                (&"C".to_string(), &c),
                (&"J".to_string(), &j),
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
            f.constants.get("PREFIX"),
            Some(&Value::Str("/tools".to_string()))
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
            .map(|c| (callee_last(src, c), call_args(src, c), c.scope))
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
    fn call_args_are_read_from_the_calls_own_text() {
        // Several lines, a string holding brackets, a nested call, and a
        // call never closed: the arguments read again from the call's
        // text are those the whole file's tokens give.
        let src = "def f(r):\n    x = 1\n    helpers.setup(\n        f\"{r}(\", # )\n        g(r, (1, 2)), r.sub,\n        z=w.v,\n    )\nbroken(a, b\n";
        let f = facts(src);
        let calls: Vec<_> = f
            .calls
            .iter()
            .map(|c| (callee_last(src, c), call_args(src, c)))
            .collect();
        let setup = CallArgs {
            callee: d("helpers.setup"),
            positional: vec![None, None, Some(d("r.sub"))],
            keywords: vec![("z".to_string(), d("w.v"))],
        };
        let g = CallArgs {
            callee: d("g"),
            positional: vec![Some(d("r")), None],
            keywords: vec![],
        };
        let broken = CallArgs {
            callee: d("broken"),
            positional: vec![Some(d("a")), Some(d("b"))],
            keywords: vec![],
        };
        assert_eq!(calls, [("setup", setup), ("g", g), ("broken", broken)]);
    }

    #[test]
    fn one_line_defs_end_at_the_next_statement() {
        let src = "def f(r): r.include_router(a)\nif x:\n    app.include_router(b)\n";
        let f = facts(src);
        let scopes: Vec<_> = f.includes.iter().map(|i| i.scope).collect();
        assert_eq!(scopes, [Some(0), None]);
    }
}
