//! The slice of Python syntax the scanner models: statements and
//! expressions as the structure pass reads them, borrowing names and text
//! from the source. What the scanner never needs (lambdas, comprehensions,
//! comparisons) is kept as [`Expr::Other`] so that nothing inside it is
//! mistaken for a request.
//!
//! Chains that Python nests to the left (`a.b.c(...)`, `a + b + c`) are kept
//! flat, so neither evaluation nor dropping a tree recurses deeper than the
//! brackets of the source do.

use std::borrow::Cow;

/// A byte offset into the source: where a call or a definition starts.
pub type Offset = u32;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr<'a> {
    /// An identifier (also `None`, `True`, `False`).
    Name(&'a str),
    /// A numeric literal, as written.
    Num(&'a str),
    /// A string literal, f-string, or several adjacent ones concatenated.
    Str(Vec<StrPart<'a>>),
    /// `b"..."` and other strings the scanner treats as opaque.
    Bytes,
    List(Vec<Expr<'a>>),
    Tuple(Vec<Expr<'a>>),
    Set(Vec<Expr<'a>>),
    Dict(Vec<DictItem<'a>>),
    /// `base.attr`, `base(args)`, `base[index]`, applied left to right.
    Postfix(Box<Expr<'a>>, Vec<Trailer<'a>>),
    /// A chain of operators of one precedence: `first op e1 op e2 ...`.
    Binary(Box<Expr<'a>>, Vec<(BinOp, Expr<'a>)>),
    /// `a or b or c`.
    Or(Vec<Expr<'a>>),
    /// `a and b and c`.
    And(Vec<Expr<'a>>),
    /// `body if test else orelse`.
    IfElse(Box<[Expr<'a>; 3]>),
    /// `*x` in a list, tuple or call.
    Starred(Box<Expr<'a>>),
    /// `[elt for target in iter if cond ...]` (also generators, set and
    /// dict comprehensions, whose value is `elt`).
    Comp(Box<Comprehension<'a>>),
    /// Anything else (lambda, comparison, unary operator, slice): its value
    /// is never known, but the sub-expressions kept here are still
    /// evaluated, so a request inside `not self.client.get(...).ok` counts.
    Other(Vec<Expr<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension<'a> {
    pub elt: Expr<'a>,
    /// `for target in iter` clauses, outermost first.
    pub clauses: Vec<(Expr<'a>, Expr<'a>)>,
    /// `if` conditions.
    pub conds: Vec<Expr<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Mod,
    /// Any other operator at the `+`/`*` levels.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart<'a> {
    /// Literal text, escapes decoded, `{{` undoubled.
    Lit(Cow<'a, str>),
    /// An f-string replacement field. `text` is the expression's source;
    /// the conversion and format spec are dropped.
    Field { expr: Box<Expr<'a>>, text: &'a str },
}

#[derive(Debug, Clone, PartialEq)]
pub enum DictItem<'a> {
    Pair(Expr<'a>, Expr<'a>),
    /// `**other`.
    Splat(Expr<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trailer<'a> {
    Attr(&'a str),
    Call(Call<'a>),
    Index(Expr<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call<'a> {
    /// Offset of the start of the whole call expression (its first token).
    pub at: Offset,
    pub args: Vec<Arg<'a>>,
}

impl<'a> Call<'a> {
    /// The `n`th positional argument (0-based), not counting splats.
    pub fn positional(&self, n: usize) -> Option<&Expr<'a>> {
        self.args
            .iter()
            .filter(|a| a.kind == ArgKind::Positional)
            .nth(n)
            .map(|a| &a.value)
    }

    /// The keyword argument `name=`.
    pub fn keyword(&self, name: &str) -> Option<&Expr<'a>> {
        self.args
            .iter()
            .find(|a| a.kind == ArgKind::Keyword && a.name == Some(name))
            .map(|a| &a.value)
    }

    /// Positional argument `n`, or else keyword `name`.
    pub fn arg(&self, n: usize, name: &str) -> Option<&Expr<'a>> {
        self.positional(n).or_else(|| self.keyword(name))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Positional,
    /// `name=value`.
    Keyword,
    /// `*args`.
    Star,
    /// `**kwargs`.
    DoubleStar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg<'a> {
    pub kind: ArgKind,
    pub name: Option<&'a str>,
    pub value: Expr<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt<'a> {
    Expr(Expr<'a>),
    /// `t1 = t2 = value`.
    Assign {
        targets: Vec<Expr<'a>>,
        value: Expr<'a>,
    },
    /// `target op= value` (`+=` keeps `BinOp::Add`).
    AugAssign {
        target: Expr<'a>,
        op: BinOp,
        value: Expr<'a>,
    },
    Return(Option<Expr<'a>>),
    /// `if`/`elif`/`else`: each branch with its test (`None` for `else`).
    If(Vec<(Option<Expr<'a>>, Vec<Stmt<'a>>)>),
    For {
        target: Expr<'a>,
        iter: Expr<'a>,
        body: Vec<Stmt<'a>>,
        orelse: Vec<Stmt<'a>>,
    },
    While {
        body: Vec<Stmt<'a>>,
        orelse: Vec<Stmt<'a>>,
    },
    With {
        items: Vec<(Expr<'a>, Option<Expr<'a>>)>,
        body: Vec<Stmt<'a>>,
    },
    /// `try` with its handlers, `else` and `finally`, in source order.
    Try(Vec<Vec<Stmt<'a>>>),
    /// A block the structure pass could not attach to a statement it
    /// knows (`match`/`case`, or after a syntax error): still scanned.
    Block(Vec<Stmt<'a>>),
    Def(Box<FuncDef<'a>>),
    Class(Box<ClassDef<'a>>),
    /// `import a.b as c`: (dotted module, bound name).
    Import(Vec<(&'a str, &'a str)>),
    /// `from module import name as alias`: (module, [(name, alias)]).
    ImportFrom {
        module: &'a str,
        names: Vec<(&'a str, &'a str)>,
    },
    /// `pass`, `break`, `raise`, `global` and lines that did not parse.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param<'a> {
    pub name: &'a str,
    pub default: Option<Expr<'a>>,
    /// `*args` or `**kwargs`.
    pub star: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncDef<'a> {
    pub name: &'a str,
    /// Offset of the `def` keyword.
    pub at: Offset,
    pub decorators: Vec<Expr<'a>>,
    pub params: Vec<Param<'a>>,
    pub body: Vec<Stmt<'a>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef<'a> {
    pub name: &'a str,
    /// Offset of the `class` keyword.
    pub at: Offset,
    pub decorators: Vec<Expr<'a>>,
    pub bases: Vec<Expr<'a>>,
    pub body: Vec<Stmt<'a>>,
}

impl<'a> Expr<'a> {
    /// The name, when this is a bare name.
    pub fn as_name(&self) -> Option<&'a str> {
        match self {
            Expr::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The dotted name `a.b.c` this expression spells, if it is one.
    pub fn dotted(&self) -> Option<Vec<&'a str>> {
        match self {
            Expr::Name(n) => Some(vec![n]),
            Expr::Postfix(base, trailers) => {
                let mut parts = vec![base.as_name()?];
                for t in trailers {
                    match t {
                        Trailer::Attr(a) => parts.push(a),
                        _ => return None,
                    }
                }
                Some(parts)
            }
            _ => None,
        }
    }

    /// The literal text of a string without replacement fields.
    pub fn as_plain_str(&self) -> Option<String> {
        match self {
            Expr::Str(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        StrPart::Lit(s) => out.push_str(s),
                        StrPart::Field { .. } => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// An integer literal's value.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Expr::Num(text) => text.replace('_', "").parse().ok(),
            _ => None,
        }
    }
}
