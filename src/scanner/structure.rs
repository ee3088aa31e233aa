//! The structure pass: tokens in, the statements and expressions of
//! [`ast`](super::ast) out.
//!
//! Trivia (comments, non-logical line ends) is filtered here, once; nothing
//! after this pass ever sees a comment, so commented-out code is never a
//! request. The pass is a small recursive-descent reader that never fails:
//! a line it cannot read becomes [`Stmt::Other`] and reading resumes at the
//! next logical line; an unexpected indented block is still read (as
//! [`Stmt::Block`]) so requests inside `match` cases or after a syntax error
//! are not lost. Nesting deeper than [`MAX_DEPTH`] is skipped, not recursed
//! into, so hostile input cannot overflow the stack.

use std::borrow::Cow;

use bumpalo::Bump;

use super::calls;
use super::hash::FastSet;

use super::ast::{
    Arg, ArgKind, AugAssign, BinOp, Call, ClassDef, Comprehension, DictItem, Expr, For, FuncDef,
    Param, Stmt, StrPart, Trailer,
};
use crate::python::literal::{fstring_middle_value, string_prefix, string_value};
use crate::python::token::{Token, TokenKind as K};

/// Deepest nesting of brackets, blocks or unary operators read; deeper
/// input is skipped as opaque.
pub const MAX_DEPTH: u32 = 100;

/// Reads a module: `tokens` must come from tokenizing `src`. The trivia
/// is dropped from `tokens` in place, so the token list is not copied; the
/// tree is allocated in `arena`. The names the module calls are added to
/// `called` (see [`calls`]).
pub fn parse_module<'a>(
    src: &'a str,
    mut tokens: Vec<Token>,
    arena: &'a Bump,
    called: &mut FastSet<&'a str>,
) -> &'a [Stmt<'a>] {
    tokens.retain(|t| !t.kind.is_trivia());
    let mut p = Parser {
        src,
        arena,
        toks: tokens,
        pos: 0,
        depth: 0,
        stmts: Vec::new(),
        exprs: Vec::new(),
        trailers: Vec::new(),
        args: Vec::new(),
        parts: Vec::new(),
        bins: Vec::new(),
        items: Vec::new(),
        params: Vec::new(),
        funcs: Vec::new(),
    };
    while p.peek() != K::EndOfFile {
        let before = p.pos;
        if p.peek() == K::Dedent {
            p.bump();
            continue;
        }
        let mark = p.stmts.len();
        p.statement();
        // The statement's tree was just written: read it for its calls now,
        // while it is still in the cache.
        calls::walk_stmts(p.stmts.get(mark..).unwrap_or(&[]), called);
        if p.pos == before {
            p.bump();
        }
    }
    take(arena, &mut p.stmts, 0)
}

/// The reader's state. Lists of nodes are gathered on the scratch stacks
/// below and moved into an arena slice of exactly their length once
/// complete (see [`take`]): a nested construct pushes above its parent's
/// items and takes them off again before the parent goes on, so the stacks
/// are reused for the whole module and the tree has no spare capacity.
struct Parser<'a> {
    src: &'a str,
    arena: &'a Bump,
    toks: Vec<Token>,
    pos: usize,
    depth: u32,
    stmts: Vec<Stmt<'a>>,
    exprs: Vec<Expr<'a>>,
    trailers: Vec<Trailer<'a>>,
    args: Vec<Arg<'a>>,
    parts: Vec<StrPart<'a>>,
    bins: Vec<(BinOp, Expr<'a>)>,
    items: Vec<DictItem<'a>>,
    params: Vec<Param<'a>>,
    /// `(defines, sets_attrs)` of each function being read, innermost last.
    funcs: Vec<(bool, bool)>,
}

/// The items of `stack` from `mark` on, moved into a slice of `arena`.
fn take<'a, T>(arena: &'a Bump, stack: &mut Vec<T>, mark: usize) -> &'a [T] {
    let mark = mark.min(stack.len());
    if mark == stack.len() {
        return &[];
    }
    arena.alloc_slice_fill_iter(stack.drain(mark..))
}

/// `items` moved into a slice of `arena`.
fn slice<T>(arena: &Bump, items: Vec<T>) -> &[T] {
    if items.is_empty() {
        return &[];
    }
    arena.alloc_slice_fill_iter(items)
}

/// Keywords that cannot start an expression (`None`, `lambda`, `await`
/// and their like can).
fn is_keyword(name: &str) -> bool {
    crate::python::is_keyword(name)
        && !matches!(
            name,
            "False" | "None" | "True" | "await" | "lambda" | "yield"
        )
}

impl<'a> Parser<'a> {
    // ----- token access -------------------------------------------------

    fn peek(&self) -> K {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> K {
        self.toks.get(self.pos + n).map_or(K::EndOfFile, |t| t.kind)
    }

    fn text_at(&self, n: usize) -> &'a str {
        match self.toks.get(self.pos + n) {
            Some(t) => self.src.get(t.range.as_range()).unwrap_or(""),
            None => "",
        }
    }

    fn text(&self) -> &'a str {
        self.text_at(0)
    }

    fn offset(&self) -> u32 {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(0, |t| t.range.start)
    }

    /// End offset of the previous token.
    fn prev_end(&self) -> u32 {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.range.end)
    }

    fn bump(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, kind: K) -> bool {
        if self.peek() == kind {
            self.bump();
            true
        } else {
            false
        }
    }

    fn at_kw(&self, kw: &str) -> bool {
        self.peek() == K::Name && self.text() == kw
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn at_end_of_simple(&self) -> bool {
        matches!(
            self.peek(),
            K::Newline | K::Semi | K::EndOfFile | K::Indent | K::Dedent
        )
    }

    /// Skips the rest of a logical line, consuming its `Newline`.
    fn skip_line(&mut self) {
        loop {
            match self.peek() {
                K::Newline => {
                    self.bump();
                    return;
                }
                K::EndOfFile | K::Indent | K::Dedent => return,
                _ => self.bump(),
            }
        }
    }

    /// Skips to the bracket closing the one already opened, consuming it;
    /// stops before a logical line end.
    fn skip_to_close(&mut self) {
        let mut depth = 0u32;
        loop {
            match self.peek() {
                K::Lpar | K::Lsqb | K::Lbrace => depth += 1,
                K::Rpar | K::Rsqb | K::Rbrace => {
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                    depth -= 1;
                }
                K::Newline | K::EndOfFile | K::Indent | K::Dedent => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips an indented block whose `Indent` is next, consuming its `Dedent`.
    fn skip_block(&mut self) {
        let mut depth = 0u32;
        loop {
            match self.peek() {
                K::Indent => depth += 1,
                K::Dedent => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                K::EndOfFile => return,
                _ => {}
            }
            self.bump();
        }
    }

    // ----- statements ---------------------------------------------------

    /// Reads statements up to the `Dedent` ending the block (consumed).
    fn block(&mut self) -> &'a [Stmt<'a>] {
        if self.depth >= MAX_DEPTH {
            self.skip_block();
            return &[];
        }
        let mark = self.stmts.len();
        self.depth += 1;
        self.bump(); // Indent
        loop {
            match self.peek() {
                K::Dedent => {
                    self.bump();
                    break;
                }
                K::EndOfFile => break,
                _ => {
                    let before = self.pos;
                    self.statement();
                    if self.pos == before {
                        self.bump();
                    }
                }
            }
        }
        self.depth -= 1;
        take(self.arena, &mut self.stmts, mark)
    }

    /// The body after a compound statement's header (at its `:`).
    fn suite(&mut self) -> &'a [Stmt<'a>] {
        if !self.eat(K::Colon) {
            self.skip_line();
            if self.peek() == K::Indent {
                return self.block();
            }
            return &[];
        }
        if self.eat(K::Newline) {
            if self.peek() == K::Indent {
                return self.block();
            }
            return &[];
        }
        let mark = self.stmts.len();
        self.simple_line();
        take(self.arena, &mut self.stmts, mark)
    }

    /// Reads one statement onto the statement stack.
    fn statement(&mut self) {
        match self.peek() {
            K::Newline | K::Semi => self.bump(),
            K::Indent => {
                let body = self.block();
                self.stmts.push(Stmt::Block(body));
            }
            K::At => {
                let decorators = self.decorators();
                match self.compound_def(decorators) {
                    Some(s) => self.stmts.push(s),
                    None => self.skip_line(),
                }
            }
            K::Name => {
                if let Some(s) = self.compound() {
                    self.stmts.push(s);
                } else {
                    self.simple_line();
                }
            }
            _ => self.simple_line(),
        }
    }

    fn decorators(&mut self) -> &'a [Expr<'a>] {
        let mark = self.exprs.len();
        while self.eat(K::At) {
            let e = self.expr();
            self.exprs.push(e);
            if !self.eat(K::Newline) {
                self.skip_line();
            }
        }
        take(self.arena, &mut self.exprs, mark)
    }

    fn compound_def(&mut self, decorators: &'a [Expr<'a>]) -> Option<Stmt<'a>> {
        if self.at_kw("async") && self.text_at(1) == "def" {
            self.bump();
        }
        if self.at_kw("def") {
            return Some(self.funcdef(decorators));
        }
        if self.at_kw("class") {
            return Some(self.classdef(decorators));
        }
        None
    }

    /// A compound statement starting at a keyword, or `None` when the line
    /// is a simple statement.
    fn compound(&mut self) -> Option<Stmt<'a>> {
        let kw = self.text();
        match kw {
            "def" | "class" => self.compound_def(&[]),
            "async" => match self.text_at(1) {
                "def" => self.compound_def(&[]),
                "for" | "with" => {
                    self.bump();
                    self.compound()
                }
                _ => None,
            },
            "if" => Some(self.if_stmt()),
            "for" => Some(self.for_stmt()),
            "while" => {
                self.bump();
                let _ = self.named_expr();
                let body = self.suite();
                let orelse = self.else_suite();
                Some(Stmt::While { body, orelse })
            }
            "with" => Some(self.with_stmt()),
            "try" => Some(self.try_stmt()),
            _ => None,
        }
    }

    fn else_suite(&mut self) -> &'a [Stmt<'a>] {
        if self.eat_kw("else") {
            self.suite()
        } else {
            &[]
        }
    }

    fn if_stmt(&mut self) -> Stmt<'a> {
        self.bump(); // if
        let mut branches = Vec::new();
        let test = self.named_expr();
        branches.push((Some(test), self.suite()));
        loop {
            if self.eat_kw("elif") {
                let test = self.named_expr();
                branches.push((Some(test), self.suite()));
            } else if self.eat_kw("else") {
                branches.push((None, self.suite()));
                break;
            } else {
                break;
            }
        }
        Stmt::If(slice(self.arena, branches))
    }

    fn for_stmt(&mut self) -> Stmt<'a> {
        self.bump(); // for
        let target = self.target_list();
        if !self.eat_kw("in") {
            self.skip_line();
            return Stmt::Other;
        }
        let iter = self.expr_list();
        let body = self.suite();
        let orelse = self.else_suite();
        Stmt::For(self.arena.alloc(For {
            target,
            iter,
            body,
            orelse,
        }))
    }

    fn with_stmt(&mut self) -> Stmt<'a> {
        self.bump(); // with
        let mut items = Vec::with_capacity(1);
        // `with (a as b, c as d):`
        if self.peek() == K::Lpar {
            let save = self.pos;
            self.bump();
            let parenthesized = self.with_items(&mut items) && self.eat(K::Rpar);
            if parenthesized && self.peek() == K::Colon {
                let body = self.suite();
                let items = slice(self.arena, items);
                return Stmt::With { items, body };
            }
            self.pos = save;
            items.clear();
        }
        self.with_items(&mut items);
        let body = self.suite();
        let items = slice(self.arena, items);
        Stmt::With { items, body }
    }

    /// Reads `expr [as target], ...`; false when it stopped at something
    /// unexpected.
    fn with_items(&mut self, items: &mut Vec<(Expr<'a>, Option<Expr<'a>>)>) -> bool {
        loop {
            let ctx = self.expr();
            let target = if self.eat_kw("as") {
                Some(self.target())
            } else {
                None
            };
            items.push((ctx, target));
            if !self.eat(K::Comma) {
                return true;
            }
            if matches!(self.peek(), K::Rpar | K::Colon) {
                return true;
            }
        }
    }

    fn try_stmt(&mut self) -> Stmt<'a> {
        self.bump(); // try
        let mut parts = vec![self.suite()];
        loop {
            if self.eat_kw("except") {
                self.eat(K::Star);
                if self.peek() != K::Colon {
                    let _ = self.expr_list();
                    if self.eat_kw("as") {
                        self.bump();
                    }
                }
                parts.push(self.suite());
            } else if self.eat_kw("else") || self.eat_kw("finally") {
                parts.push(self.suite());
            } else {
                break;
            }
        }
        Stmt::Try(slice(self.arena, parts))
    }

    fn funcdef(&mut self, decorators: &'a [Expr<'a>]) -> Stmt<'a> {
        self.note_definition();
        let at = self.offset();
        self.bump(); // def
        let name = if self.peek() == K::Name {
            let n = self.text();
            self.bump();
            n
        } else {
            ""
        };
        if self.peek() == K::Lsqb {
            self.bump();
            self.skip_to_close();
        }
        let mut params: &'a [Param<'a>] = &[];
        if self.eat(K::Lpar) {
            let mark = self.params.len();
            self.params();
            params = take(self.arena, &mut self.params, mark);
        }
        if self.eat(K::Arrow) {
            let _ = self.expr();
        }
        self.funcs.push((false, false));
        let body = self.suite();
        let (defines, sets_attrs) = self.funcs.pop().unwrap_or((true, true));
        Stmt::Def(self.arena.alloc(FuncDef {
            name,
            at,
            decorators,
            params,
            body,
            defines,
            sets_attrs,
        }))
    }

    /// Parameters after `(`, through the closing `)`, onto the parameter
    /// stack.
    fn params(&mut self) {
        loop {
            match self.peek() {
                K::Rpar => {
                    self.bump();
                    return;
                }
                K::Comma | K::Slash => self.bump(),
                K::Star | K::DoubleStar => {
                    self.bump();
                    if self.peek() == K::Name {
                        self.params.push(Param {
                            name: self.text(),
                            default: None,
                            star: true,
                        });
                        self.bump();
                        if self.eat(K::Colon) {
                            let _ = self.expr();
                        }
                    }
                }
                K::Name => {
                    let name = self.text();
                    self.bump();
                    if self.eat(K::Colon) {
                        let _ = self.expr();
                    }
                    let default = if self.eat(K::Equal) {
                        Some(self.expr())
                    } else {
                        None
                    };
                    self.params.push(Param {
                        name,
                        default,
                        star: false,
                    });
                }
                _ => {
                    self.skip_to_close();
                    return;
                }
            }
        }
    }

    /// A `def` or `class` starts inside the function being read.
    fn note_definition(&mut self) {
        if let Some(f) = self.funcs.last_mut() {
            f.0 = true;
        }
    }

    /// An assignment to `targets` in the function being read.
    fn note_assign(&mut self, targets: &[Expr<'a>]) {
        if let Some(f) = self.funcs.last_mut() {
            if targets.iter().any(|t| matches!(t, Expr::Postfix(..))) {
                f.1 = true;
            }
        }
    }

    fn classdef(&mut self, decorators: &'a [Expr<'a>]) -> Stmt<'a> {
        self.note_definition();
        let at = self.offset();
        self.bump(); // class
        let name = if self.peek() == K::Name {
            let n = self.text();
            self.bump();
            n
        } else {
            ""
        };
        if self.peek() == K::Lsqb {
            self.bump();
            self.skip_to_close();
        }
        let mut bases: &'a [Expr<'a>] = &[];
        if self.peek() == K::Lpar {
            let call = self.call_args(at);
            let positional: Vec<Expr<'a>> = call
                .args
                .iter()
                .filter(|a| a.kind == ArgKind::Positional)
                .map(|a| a.value)
                .collect();
            bases = slice(self.arena, positional);
        }
        let body = self.suite();
        Stmt::Class(self.arena.alloc(ClassDef {
            name,
            at,
            decorators,
            bases,
            body,
        }))
    }

    /// Simple statements separated by `;`, through the line end, onto the
    /// statement stack.
    fn simple_line(&mut self) {
        loop {
            let stmt = self.simple();
            self.stmts.push(stmt);
            if self.eat(K::Semi) {
                if matches!(self.peek(), K::Newline | K::EndOfFile) {
                    self.eat(K::Newline);
                    return;
                }
                continue;
            }
            if !self.eat(K::Newline) {
                self.skip_line();
            }
            return;
        }
    }

    fn simple(&mut self) -> Stmt<'a> {
        if self.peek() == K::Name {
            match self.text() {
                "return" => {
                    self.bump();
                    if self.at_end_of_simple() {
                        return Stmt::Return(None);
                    }
                    return Stmt::Return(Some(self.expr_list()));
                }
                "import" => {
                    self.bump();
                    return self.import();
                }
                "from" => {
                    self.bump();
                    return self.import_from();
                }
                "assert" | "raise" | "del" | "await" => {
                    if self.text() != "await" {
                        self.bump();
                    }
                    if self.at_end_of_simple() {
                        return Stmt::Other;
                    }
                    let e = self.expr_list();
                    return Stmt::Expr(e);
                }
                "pass" | "break" | "continue" | "global" | "nonlocal" => {
                    self.skip_simple();
                    return Stmt::Other;
                }
                _ => {}
            }
        }
        let first = self.star_expr_list();
        match self.peek() {
            K::Equal => {
                let mark = self.exprs.len();
                self.exprs.push(first);
                let mut value = Expr::Other(&[]);
                while self.eat(K::Equal) {
                    value = self.star_expr_list();
                    if self.peek() == K::Equal {
                        self.exprs
                            .push(std::mem::replace(&mut value, Expr::Other(&[])));
                    }
                }
                let targets = take(self.arena, &mut self.exprs, mark);
                self.note_assign(targets);
                Stmt::Assign { targets, value }
            }
            K::Colon => {
                self.bump();
                let _ = self.expr();
                if self.eat(K::Equal) {
                    let value = self.star_expr_list();
                    let targets = std::slice::from_ref(self.arena.alloc(first));
                    self.note_assign(targets);
                    Stmt::Assign { targets, value }
                } else {
                    Stmt::Other
                }
            }
            K::Operator if self.text().ends_with('=') && is_aug_assign(self.text()) => {
                let op = if self.text() == "+=" {
                    BinOp::Add
                } else if self.text() == "%=" {
                    BinOp::Mod
                } else {
                    BinOp::Other
                };
                self.bump();
                let value = self.star_expr_list();
                Stmt::AugAssign(self.arena.alloc(AugAssign {
                    target: first,
                    op,
                    value,
                }))
            }
            _ => Stmt::Expr(first),
        }
    }

    fn skip_simple(&mut self) {
        while !self.at_end_of_simple() {
            self.bump();
        }
    }

    fn dotted_name(&mut self) -> &'a str {
        let start = self.offset();
        let mut end = start;
        while matches!(self.peek(), K::Dot) || (self.peek() == K::Operator && self.text() == "...")
        {
            end = self.toks.get(self.pos).map_or(end, |t| t.range.end);
            self.bump();
        }
        while self.peek() == K::Name && !matches!(self.text(), "import" | "as") {
            end = self.toks.get(self.pos).map_or(end, |t| t.range.end);
            self.bump();
            if self.peek() == K::Dot {
                end = self.toks.get(self.pos).map_or(end, |t| t.range.end);
                self.bump();
            } else {
                break;
            }
        }
        self.src.get(start as usize..end as usize).unwrap_or("")
    }

    fn import(&mut self) -> Stmt<'a> {
        let mut names = Vec::new();
        loop {
            let module = self.dotted_name();
            if module.is_empty() {
                break;
            }
            let bound = if self.eat_kw("as") && self.peek() == K::Name {
                let a = self.text();
                self.bump();
                a
            } else {
                module.split('.').next().unwrap_or(module)
            };
            names.push((module, bound));
            if !self.eat(K::Comma) {
                break;
            }
        }
        self.skip_simple();
        Stmt::Import(slice(self.arena, names))
    }

    fn import_from(&mut self) -> Stmt<'a> {
        let module = self.dotted_name();
        if !self.eat_kw("import") {
            self.skip_simple();
            return Stmt::Other;
        }
        let paren = self.eat(K::Lpar);
        let mut names = Vec::new();
        loop {
            match self.peek() {
                K::Name => {
                    let name = self.text();
                    self.bump();
                    let alias = if self.eat_kw("as") && self.peek() == K::Name {
                        let a = self.text();
                        self.bump();
                        a
                    } else {
                        name
                    };
                    names.push((name, alias));
                }
                K::Star => {
                    self.bump();
                    names.push(("*", "*"));
                }
                _ => break,
            }
            if !self.eat(K::Comma) {
                break;
            }
        }
        if paren {
            self.eat(K::Rpar);
        }
        self.skip_simple();
        Stmt::ImportFrom {
            module,
            names: slice(self.arena, names),
        }
    }

    // ----- expressions --------------------------------------------------

    /// Targets of a `for`: names, attributes, subscripts, tuples (no `in`).
    fn target_list(&mut self) -> Expr<'a> {
        let first = self.target();
        if self.peek() != K::Comma {
            return first;
        }
        let mark = self.exprs.len();
        self.exprs.push(first);
        while self.eat(K::Comma) {
            if self.at_kw("in") || self.peek() == K::Equal {
                break;
            }
            let e = self.target();
            self.exprs.push(e);
        }
        Expr::Tuple(take(self.arena, &mut self.exprs, mark))
    }

    fn target(&mut self) -> Expr<'a> {
        if self.eat(K::Star) {
            return Expr::Starred(self.arena.alloc(self.bit_or()));
        }
        self.bit_or()
    }

    /// `a, b, *c` at statement level: a tuple when there is a comma.
    fn star_expr_list(&mut self) -> Expr<'a> {
        self.expr_list()
    }

    fn expr_list(&mut self) -> Expr<'a> {
        let first = self.star_or_expr();
        if self.peek() != K::Comma {
            return first;
        }
        let mark = self.exprs.len();
        self.exprs.push(first);
        while self.eat(K::Comma) {
            if self.expr_cannot_start() {
                break;
            }
            let e = self.star_or_expr();
            self.exprs.push(e);
        }
        Expr::Tuple(take(self.arena, &mut self.exprs, mark))
    }

    fn expr_cannot_start(&self) -> bool {
        match self.peek() {
            K::Newline
            | K::Semi
            | K::EndOfFile
            | K::Equal
            | K::Colon
            | K::Rpar
            | K::Rsqb
            | K::Rbrace
            | K::Indent
            | K::Dedent => true,
            K::Operator => self.text().ends_with('='),
            _ => false,
        }
    }

    fn star_or_expr(&mut self) -> Expr<'a> {
        if self.eat(K::Star) {
            return Expr::Starred(self.arena.alloc(self.bit_or()));
        }
        self.named_expr()
    }

    /// `name := value` or an expression.
    fn named_expr(&mut self) -> Expr<'a> {
        let e = self.expr();
        if self.eat(K::ColonEqual) {
            return self.expr();
        }
        e
    }

    /// Ternary, lambda, or below.
    fn expr(&mut self) -> Expr<'a> {
        if self.depth >= MAX_DEPTH {
            self.skip_expr();
            return Expr::Other(&[]);
        }
        self.depth += 1;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    /// Skips one expression without reading it (too deeply nested).
    fn skip_expr(&mut self) {
        loop {
            match self.peek() {
                K::Lpar | K::Lsqb | K::Lbrace => {
                    self.bump();
                    self.skip_to_close();
                }
                K::Comma
                | K::Newline
                | K::Semi
                | K::EndOfFile
                | K::Indent
                | K::Dedent
                | K::Colon
                | K::Equal
                | K::Rpar
                | K::Rsqb
                | K::Rbrace => return,
                _ => self.bump(),
            }
        }
    }

    fn expr_inner(&mut self) -> Expr<'a> {
        if self.eat_kw("lambda") {
            while !matches!(
                self.peek(),
                K::Colon | K::Newline | K::EndOfFile | K::Rpar | K::Rsqb | K::Rbrace
            ) {
                if matches!(self.peek(), K::Lpar | K::Lsqb | K::Lbrace) {
                    self.bump();
                    self.skip_to_close();
                } else {
                    self.bump();
                }
            }
            if self.eat(K::Colon) {
                let _ = self.expr();
            }
            return Expr::Other(&[]);
        }
        let body = self.or_test();
        if self.at_kw("if") {
            self.bump();
            let test = self.or_test();
            if self.eat_kw("else") {
                let orelse = self.expr();
                return Expr::IfElse(self.arena.alloc([body, test, orelse]));
            }
            return Expr::Other(self.arena.alloc([body, test]));
        }
        body
    }

    fn or_test(&mut self) -> Expr<'a> {
        let first = self.and_test();
        if !self.at_kw("or") {
            return first;
        }
        let mark = self.exprs.len();
        self.exprs.push(first);
        while self.eat_kw("or") {
            let e = self.and_test();
            self.exprs.push(e);
        }
        Expr::Or(take(self.arena, &mut self.exprs, mark))
    }

    fn and_test(&mut self) -> Expr<'a> {
        let first = self.not_test();
        if !self.at_kw("and") {
            return first;
        }
        let mark = self.exprs.len();
        self.exprs.push(first);
        while self.eat_kw("and") {
            let e = self.not_test();
            self.exprs.push(e);
        }
        Expr::And(take(self.arena, &mut self.exprs, mark))
    }

    fn not_test(&mut self) -> Expr<'a> {
        let mut nots = 0u32;
        while self.eat_kw("not") {
            nots += 1;
        }
        let e = self.comparison();
        if nots > 0 {
            return Expr::Other(std::slice::from_ref(self.arena.alloc(e)));
        }
        e
    }

    fn at_comparison(&self) -> bool {
        match self.peek() {
            K::Operator => matches!(self.text(), "<" | ">" | "==" | ">=" | "<=" | "!=" | "<>"),
            K::Name => match self.text() {
                "in" | "is" => true,
                "not" => self.text_at(1) == "in",
                _ => false,
            },
            _ => false,
        }
    }

    fn comparison(&mut self) -> Expr<'a> {
        let first = self.bit_or();
        if !self.at_comparison() {
            return first;
        }
        let mark = self.exprs.len();
        self.exprs.push(first);
        while self.at_comparison() {
            if self.at_kw("not") || (self.at_kw("is") && self.text_at(1) == "not") {
                self.bump();
            }
            self.bump();
            let e = self.bit_or();
            self.exprs.push(e);
        }
        Expr::Other(take(self.arena, &mut self.exprs, mark))
    }

    fn bin_chain(
        &mut self,
        next: fn(&mut Self) -> Expr<'a>,
        op_of: fn(&Self) -> Option<BinOp>,
    ) -> Expr<'a> {
        let first = next(self);
        let Some(op) = op_of(self) else {
            return first;
        };
        let mark = self.bins.len();
        let mut op = Some(op);
        while let Some(o) = op {
            self.bump();
            let e = next(self);
            self.bins.push((o, e));
            op = op_of(self);
        }
        Expr::Binary(
            self.arena.alloc(first),
            take(self.arena, &mut self.bins, mark),
        )
    }

    fn bit_or(&mut self) -> Expr<'a> {
        self.bin_chain(Self::sum, |p| {
            (p.peek() == K::Operator && matches!(p.text(), "|" | "^" | "&" | "<<" | ">>"))
                .then_some(BinOp::Other)
        })
    }

    fn sum(&mut self) -> Expr<'a> {
        self.bin_chain(Self::term, |p| match p.peek() {
            K::Plus => Some(BinOp::Add),
            K::Minus => Some(BinOp::Other),
            _ => None,
        })
    }

    fn term(&mut self) -> Expr<'a> {
        self.bin_chain(Self::unary, |p| match p.peek() {
            K::Percent => Some(BinOp::Mod),
            K::Star | K::Slash => Some(BinOp::Other),
            K::Operator if matches!(p.text(), "//" | "@") => Some(BinOp::Other),
            _ => None,
        })
    }

    fn unary(&mut self) -> Expr<'a> {
        let mut ops = 0u32;
        while matches!(self.peek(), K::Minus | K::Plus)
            || (self.peek() == K::Operator && self.text() == "~")
        {
            self.bump();
            ops += 1;
        }
        let e = self.power();
        if ops > 0 {
            return Expr::Other(std::slice::from_ref(self.arena.alloc(e)));
        }
        e
    }

    fn power(&mut self) -> Expr<'a> {
        let e = self.postfix();
        if self.peek() != K::DoubleStar {
            return e;
        }
        let mark = self.exprs.len();
        self.exprs.push(e);
        while self.eat(K::DoubleStar) {
            while matches!(self.peek(), K::Minus | K::Plus)
                || (self.peek() == K::Operator && self.text() == "~")
            {
                self.bump();
            }
            let e = self.postfix();
            self.exprs.push(e);
        }
        Expr::Other(take(self.arena, &mut self.exprs, mark))
    }

    fn postfix(&mut self) -> Expr<'a> {
        while self.eat_kw("await") {}
        let at = self.offset();
        let base = self.atom();
        let mark = self.trailers.len();
        loop {
            match self.peek() {
                K::Dot => {
                    self.bump();
                    if self.peek() == K::Name {
                        let attr = self.text();
                        self.trailers.push(Trailer::Attr(attr));
                        self.bump();
                    } else {
                        break;
                    }
                }
                K::Lpar => {
                    let call = self.call_args(at);
                    self.trailers.push(Trailer::Call(call));
                }
                K::Lsqb => {
                    self.bump();
                    let index = self.subscript();
                    self.trailers.push(Trailer::Index(index));
                }
                _ => break,
            }
        }
        if self.trailers.len() == mark {
            base
        } else {
            Expr::Postfix(
                self.arena.alloc(base),
                take(self.arena, &mut self.trailers, mark),
            )
        }
    }

    /// After `[`: an index expression through `]`; slices are opaque.
    fn subscript(&mut self) -> Expr<'a> {
        if self.peek() == K::Colon {
            self.skip_to_close();
            return Expr::Other(&[]);
        }
        let e = self.expr_list();
        if self.eat(K::Rsqb) {
            return e;
        }
        self.skip_to_close();
        Expr::Other(std::slice::from_ref(self.arena.alloc(e)))
    }

    /// The `for ... in ... if ...` clauses after a comprehension's element,
    /// through the closing bracket.
    fn comprehension(&mut self, elt: Expr<'a>, close: K) -> Expr<'a> {
        let mut clauses = Vec::new();
        let mut conds = Vec::new();
        loop {
            self.eat_kw("async");
            if !self.eat_kw("for") {
                break;
            }
            let target = self.target_list();
            if !self.eat_kw("in") {
                break;
            }
            let iter = self.or_test();
            clauses.push((target, iter));
            while self.eat_kw("if") {
                conds.push(self.or_test());
            }
        }
        if !self.eat(close) {
            self.skip_to_close();
        }
        Expr::Comp(self.arena.alloc(Comprehension {
            elt,
            clauses: slice(self.arena, clauses),
            conds: slice(self.arena, conds),
        }))
    }

    /// Call arguments starting at `(`, through `)`.
    fn call_args(&mut self, at: u32) -> Call<'a> {
        self.bump(); // (
        if self.depth >= MAX_DEPTH {
            self.skip_to_close();
            return Call { at, args: &[] };
        }
        let mark = self.args.len();
        self.depth += 1;
        loop {
            match self.peek() {
                K::Rpar => {
                    self.bump();
                    break;
                }
                K::Star => {
                    self.bump();
                    let value = self.expr();
                    self.args.push(Arg {
                        kind: ArgKind::Star,
                        name: None,
                        value,
                    });
                }
                K::DoubleStar => {
                    self.bump();
                    let value = self.expr();
                    self.args.push(Arg {
                        kind: ArgKind::DoubleStar,
                        name: None,
                        value,
                    });
                }
                K::Name if self.peek_at(1) == K::Equal => {
                    let name = self.text();
                    self.bump();
                    self.bump();
                    let value = self.expr();
                    self.args.push(Arg {
                        kind: ArgKind::Keyword,
                        name: Some(name),
                        value,
                    });
                }
                _ => {
                    let value = self.named_expr();
                    if self.at_kw("for") || self.at_kw("async") {
                        let value = self.comprehension(value, K::Rpar);
                        self.args.push(Arg {
                            kind: ArgKind::Positional,
                            name: None,
                            value,
                        });
                        break;
                    }
                    self.args.push(Arg {
                        kind: ArgKind::Positional,
                        name: None,
                        value,
                    });
                }
            }
            if self.eat(K::Comma) {
                continue;
            }
            if !self.eat(K::Rpar) {
                self.skip_to_close();
            }
            break;
        }
        self.depth -= 1;
        Call {
            at,
            args: take(self.arena, &mut self.args, mark),
        }
    }

    fn atom(&mut self) -> Expr<'a> {
        match self.peek() {
            K::Name => {
                let name = self.text();
                if is_keyword(name) {
                    return Expr::Other(&[]);
                }
                self.bump();
                if name == "yield" {
                    self.eat_kw("from");
                    if !self.expr_cannot_start() {
                        let e = self.expr_list();
                        return Expr::Other(std::slice::from_ref(self.arena.alloc(e)));
                    }
                    return Expr::Other(&[]);
                }
                Expr::Name(name)
            }
            K::Number => {
                let n = self.text();
                self.bump();
                Expr::Num(n)
            }
            K::String | K::FStringStart => self.strings(),
            K::Lpar => self.bracketed(K::Rpar),
            K::Lsqb => self.bracketed(K::Rsqb),
            K::Lbrace => self.dict_or_set(),
            K::Operator if self.text() == "..." => {
                self.bump();
                Expr::Other(&[])
            }
            _ => Expr::Other(&[]),
        }
    }

    /// `( ... )` or `[ ... ]`: a parenthesized expression, tuple or list.
    fn bracketed(&mut self, close: K) -> Expr<'a> {
        self.bump();
        let mut comma = false;
        if self.depth >= MAX_DEPTH {
            self.skip_to_close();
            return Expr::Other(&[]);
        }
        let mark = self.exprs.len();
        self.depth += 1;
        loop {
            if self.eat(close) {
                break;
            }
            let item = self.star_or_expr();
            if self.at_kw("for") || self.at_kw("async") {
                self.exprs.truncate(mark);
                let comp = self.comprehension(item, close);
                self.depth -= 1;
                return comp;
            }
            self.exprs.push(item);
            if self.eat(K::Comma) {
                comma = true;
                continue;
            }
            if !self.eat(close) {
                self.skip_to_close();
                self.depth -= 1;
                return Expr::Other(take(self.arena, &mut self.exprs, mark));
            }
            break;
        }
        self.depth -= 1;
        if close == K::Rsqb {
            return Expr::List(take(self.arena, &mut self.exprs, mark));
        }
        if self.exprs.len() == mark + 1 && !comma {
            return self.exprs.pop().unwrap_or(Expr::Other(&[]));
        }
        Expr::Tuple(take(self.arena, &mut self.exprs, mark))
    }

    fn dict_or_set(&mut self) -> Expr<'a> {
        self.bump(); // {
        if self.depth >= MAX_DEPTH {
            self.skip_to_close();
            return Expr::Other(&[]);
        }
        self.depth += 1;
        let e = self.dict_or_set_inner();
        self.depth -= 1;
        e
    }

    fn dict_or_set_inner(&mut self) -> Expr<'a> {
        if self.eat(K::Rbrace) {
            return Expr::Dict(&[]);
        }
        let pairs = self.items.len();
        let set = self.exprs.len();
        loop {
            // Read whole before it is kept: when a `for` follows, the
            // element (or the value of a pair) is a comprehension's.
            enum Item<'a> {
                Pair(Expr<'a>, Expr<'a>),
                Splat(Expr<'a>),
                Elt(Expr<'a>),
            }
            let item = if self.eat(K::DoubleStar) {
                Item::Splat(self.bit_or())
            } else {
                let key = self.star_or_expr();
                if self.eat(K::Colon) {
                    let value = self.expr();
                    Item::Pair(key, value)
                } else {
                    Item::Elt(key)
                }
            };
            if self.at_kw("for") || self.at_kw("async") {
                self.items.truncate(pairs);
                self.exprs.truncate(set);
                let elt = match item {
                    Item::Pair(_, e) | Item::Splat(e) | Item::Elt(e) => e,
                };
                return self.comprehension(elt, K::Rbrace);
            }
            match item {
                Item::Pair(k, v) => self.items.push(DictItem::Pair(k, v)),
                Item::Splat(e) => self.items.push(DictItem::Splat(e)),
                Item::Elt(e) => self.exprs.push(e),
            }
            if self.eat(K::Comma) {
                if self.eat(K::Rbrace) {
                    break;
                }
                continue;
            }
            if !self.eat(K::Rbrace) {
                self.skip_to_close();
                self.items.truncate(pairs);
                self.exprs.truncate(set);
                return Expr::Other(&[]);
            }
            break;
        }
        if self.exprs.len() == set {
            Expr::Dict(take(self.arena, &mut self.items, pairs))
        } else if self.items.len() == pairs {
            Expr::Set(take(self.arena, &mut self.exprs, set))
        } else {
            self.items.truncate(pairs);
            self.exprs.truncate(set);
            Expr::Other(&[])
        }
    }

    /// Adjacent string literals and f-strings, concatenated.
    fn strings(&mut self) -> Expr<'a> {
        let mark = self.parts.len();
        let mut bytes = false;
        loop {
            match self.peek() {
                K::String => {
                    let flags = string_prefix(self.text());
                    if flags.bytes {
                        bytes = true;
                    }
                    if let Some(&tok) = self.toks.get(self.pos) {
                        let value = string_value(self.src, tok).unwrap_or(Cow::Borrowed(""));
                        push_lit(self.arena, &mut self.parts, mark, value);
                    }
                    self.bump();
                }
                K::FStringStart => {
                    let raw = string_prefix(self.text()).raw;
                    self.bump();
                    self.fstring(raw, mark);
                }
                _ => break,
            }
        }
        if bytes {
            self.parts.truncate(mark);
            return Expr::Bytes;
        }
        Expr::Str(take(self.arena, &mut self.parts, mark))
    }

    /// The inside of an f-string after its start, through its end, onto
    /// the parts of the string begun at `mark` of the part stack.
    fn fstring(&mut self, raw: bool, mark: usize) {
        loop {
            match self.peek() {
                K::FStringEnd => {
                    self.bump();
                    return;
                }
                K::FStringMiddle => {
                    let text = self.text();
                    self.bump();
                    push_lit(
                        self.arena,
                        &mut self.parts,
                        mark,
                        fstring_middle_value(text, raw),
                    );
                }
                K::Lbrace => {
                    self.bump();
                    let start = self.offset();
                    let expr = if self.depth >= MAX_DEPTH {
                        self.skip_expr();
                        Expr::Other(&[])
                    } else {
                        self.depth += 1;
                        let e = self.expr_list();
                        self.depth -= 1;
                        e
                    };
                    let end = self.prev_end().max(start);
                    let text = self.src.get(start as usize..end as usize).unwrap_or("");
                    // Debug `=`, conversion `!r`, format spec `:...`: dropped.
                    let mut depth = 0u32;
                    loop {
                        match self.peek() {
                            K::Rbrace if depth == 0 => {
                                self.bump();
                                break;
                            }
                            K::Lbrace => depth += 1,
                            K::Rbrace => depth -= 1,
                            K::FStringEnd | K::Newline | K::EndOfFile | K::Indent | K::Dedent => {
                                break
                            }
                            _ => {}
                        }
                        self.bump();
                    }
                    self.parts.push(StrPart::Field {
                        expr: self.arena.alloc(expr),
                        text: text.trim(),
                    });
                }
                K::Newline | K::EndOfFile | K::Indent | K::Dedent => return,
                _ => self.bump(),
            }
        }
    }
}

fn is_aug_assign(op: &str) -> bool {
    matches!(
        op,
        "+=" | "-="
            | "*="
            | "/="
            | "//="
            | "%="
            | "@="
            | "&="
            | "|="
            | "^="
            | ">>="
            | "<<="
            | "**="
    )
}

/// Appends literal text to the parts of a string begun at `mark`, merged
/// into a literal just before it; text that is not the source's own is
/// copied into `arena`.
fn push_lit<'a>(arena: &'a Bump, parts: &mut Vec<StrPart<'a>>, mark: usize, text: Cow<'a, str>) {
    if text.is_empty() {
        return;
    }
    if parts.len() > mark {
        if let Some(StrPart::Lit(prev)) = parts.last_mut() {
            let mut joined = String::with_capacity(prev.len() + text.len());
            joined.push_str(prev);
            joined.push_str(&text);
            *prev = arena.alloc_str(&joined);
            return;
        }
    }
    let text: &'a str = match text {
        Cow::Borrowed(t) => t,
        Cow::Owned(t) => arena.alloc_str(&t),
    };
    parts.push(StrPart::Lit(text));
}
