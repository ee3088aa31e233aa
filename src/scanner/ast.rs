//! The slice of Python syntax the scanner models: statements and
//! expressions as the structure pass reads them, borrowing names and text
//! from the source. What the scanner never needs (lambdas, comprehensions,
//! comparisons) is kept as [`Expr::Other`] so that nothing inside it is
//! mistaken for a request.
//!
//! Chains that Python nests to the left (`a.b.c(...)`, `a + b + c`) are kept
//! flat, so evaluation recurses no deeper than the brackets of the source do.
//!
//! Nodes live in an arena ([`bumpalo::Bump`]) for the lifetime `'a` of the
//! source: children are plain references and lists are slices of exactly
//! their length, laid out in source order, and the tree owns nothing that
//! needs dropping (decoded string text is in the arena too).

/// A byte offset into the source: where a call or a definition starts.
pub type Offset = u32;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expr<'a> {
    /// An identifier (also `None`, `True`, `False`).
    Name(&'a str),
    /// A numeric literal, as written.
    Num(&'a str),
    /// A string literal, f-string, or several adjacent ones concatenated.
    Str(&'a [StrPart<'a>]),
    /// `b"..."` and other strings the scanner treats as opaque.
    Bytes,
    List(&'a [Expr<'a>]),
    Tuple(&'a [Expr<'a>]),
    Set(&'a [Expr<'a>]),
    Dict(&'a [DictItem<'a>]),
    /// `base.attr`, `base(args)`, `base[index]`, applied left to right.
    Postfix(&'a Expr<'a>, &'a [Trailer<'a>]),
    /// A chain of operators of one precedence: `first op e1 op e2 ...`.
    Binary(&'a Expr<'a>, &'a [(BinOp, Expr<'a>)]),
    /// `a or b or c`.
    Or(&'a [Expr<'a>]),
    /// `a and b and c`.
    And(&'a [Expr<'a>]),
    /// `body if test else orelse`.
    IfElse(&'a [Expr<'a>; 3]),
    /// `*x` in a list, tuple or call.
    Starred(&'a Expr<'a>),
    /// `[elt for target in iter if cond ...]` (also generators, set and
    /// dict comprehensions, whose value is `elt`).
    Comp(&'a Comprehension<'a>),
    /// Anything else (lambda, comparison, unary operator, slice): its value
    /// is never known, but the sub-expressions kept here are still
    /// evaluated, so a request inside `not self.client.get(...).ok` counts.
    Other(&'a [Expr<'a>]),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comprehension<'a> {
    pub elt: Expr<'a>,
    /// `for target in iter` clauses, outermost first.
    pub clauses: &'a [(Expr<'a>, Expr<'a>)],
    /// `if` conditions.
    pub conds: &'a [Expr<'a>],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Mod,
    /// Any other operator at the `+`/`*` levels.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StrPart<'a> {
    /// Literal text, escapes decoded, `{{` undoubled.
    Lit(&'a str),
    /// An f-string replacement field. `text` is the expression's source;
    /// the conversion and format spec are dropped.
    Field { expr: &'a Expr<'a>, text: &'a str },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DictItem<'a> {
    Pair(Expr<'a>, Expr<'a>),
    /// `**other`.
    Splat(Expr<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trailer<'a> {
    Attr(&'a str),
    Call(Call<'a>),
    Index(Expr<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call<'a> {
    /// Offset of the start of the whole call expression (its first token).
    pub at: Offset,
    pub args: &'a [Arg<'a>],
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

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arg<'a> {
    pub kind: ArgKind,
    pub name: Option<&'a str>,
    pub value: Expr<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stmt<'a> {
    Expr(Expr<'a>),
    /// `t1 = t2 = value`.
    Assign {
        targets: &'a [Expr<'a>],
        value: Expr<'a>,
    },
    /// `target op= value` (`+=` keeps `BinOp::Add`).
    AugAssign(&'a AugAssign<'a>),
    Return(Option<Expr<'a>>),
    /// `if`/`elif`/`else`: each branch with its test (`None` for `else`).
    If(&'a [(Option<Expr<'a>>, &'a [Stmt<'a>])]),
    For(&'a For<'a>),
    While {
        body: &'a [Stmt<'a>],
        orelse: &'a [Stmt<'a>],
    },
    With {
        items: &'a [(Expr<'a>, Option<Expr<'a>>)],
        body: &'a [Stmt<'a>],
    },
    /// `try` with its handlers, `else` and `finally`, in source order.
    Try(&'a [&'a [Stmt<'a>]]),
    /// A block the structure pass could not attach to a statement it
    /// knows (`match`/`case`, or after a syntax error): still scanned.
    Block(&'a [Stmt<'a>]),
    Def(&'a FuncDef<'a>),
    Class(&'a ClassDef<'a>),
    /// `import a.b as c`: (dotted module, bound name).
    Import(&'a [(&'a str, &'a str)]),
    /// `from module import name as alias`: (module, [(name, alias)]).
    ImportFrom {
        module: &'a str,
        names: &'a [(&'a str, &'a str)],
    },
    /// `pass`, `break`, `raise`, `global` and lines that did not parse.
    Other,
}

/// `target op= value`: behind a reference, as are the other statements
/// larger than most, so that a statement takes 56 bytes, not 96.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AugAssign<'a> {
    pub target: Expr<'a>,
    pub op: BinOp,
    pub value: Expr<'a>,
}

/// `for target in iter: body else: orelse`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct For<'a> {
    pub target: Expr<'a>,
    pub iter: Expr<'a>,
    pub body: &'a [Stmt<'a>],
    pub orelse: &'a [Stmt<'a>],
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param<'a> {
    pub name: &'a str,
    pub default: Option<Expr<'a>>,
    /// `*args` or `**kwargs`.
    pub star: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuncDef<'a> {
    pub name: &'a str,
    /// Offset of the `def` keyword.
    pub at: Offset,
    pub decorators: &'a [Expr<'a>],
    pub params: &'a [Param<'a>],
    pub body: &'a [Stmt<'a>],
    /// Whether a `def` or `class` appears anywhere in the body: when not,
    /// the index of definitions need not read the body.
    pub defines: bool,
    /// Whether the body, outside nested functions, assigns to an attribute
    /// (`x.y = ...`): when not, it sets nothing on `self`.
    pub sets_attrs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassDef<'a> {
    pub name: &'a str,
    /// Offset of the `class` keyword.
    pub at: Offset,
    pub decorators: &'a [Expr<'a>],
    pub bases: &'a [Expr<'a>],
    pub body: &'a [Stmt<'a>],
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
                for t in trailers.iter() {
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
                for p in parts.iter() {
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
