//! Abstract values: what the evaluator knows about a Python value.
//!
//! A string is a set of alternative templates ([`Alt`]); each template is
//! literal text and named placeholders. An alternative remembers which
//! choice of which multi-valued binding (a `for` loop variable, a
//! `random.choice`) it was built from, so that a URL and a label built from
//! the same loop variable pair up one to one instead of as a product.

use std::rc::Rc;

use crate::site::Client;

/// Most alternatives one value may hold; beyond, it becomes unknown.
pub const MAX_ALTS: usize = 256;

/// A piece of a string template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    Lit(String),
    /// A value known only at run time, named after its expression.
    Ph(String),
    /// A value known only at run time and not yet named: one branch of a
    /// value that is a string on other branches. It is named when bound
    /// to a variable or used in a template; the text says why it is unknown.
    Hole(Rc<str>),
}

/// One alternative value of a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Alt {
    pub pieces: Vec<Piece>,
    /// `(binding, choice)`: sorted by binding, at most one per binding.
    pub tags: Vec<(u32, u32)>,
}

impl Alt {
    pub fn lit(text: impl Into<String>) -> Alt {
        Alt {
            pieces: vec![Piece::Lit(text.into())],
            tags: Vec::new(),
        }
    }

    pub fn placeholder(name: impl Into<String>) -> Alt {
        Alt {
            pieces: vec![Piece::Ph(name.into())],
            tags: Vec::new(),
        }
    }

    /// Appends a piece, merging adjacent literals.
    pub fn push(&mut self, piece: Piece) {
        if let (Some(Piece::Lit(prev)), Piece::Lit(text)) = (self.pieces.last_mut(), &piece) {
            prev.push_str(text);
            return;
        }
        if let Piece::Lit(text) = &piece {
            if text.is_empty() {
                return;
            }
        }
        self.pieces.push(piece);
    }

    /// The template as text, placeholders as `{name}`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => out.push_str(t),
                Piece::Ph(n) => {
                    out.push('{');
                    out.push_str(n);
                    out.push('}');
                }
                Piece::Hole(_) => out.push_str("{value}"),
            }
        }
        out
    }

    /// Names every hole `name`.
    pub fn name_holes(&self, name: &str) -> Alt {
        Alt {
            pieces: self
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Hole(_) => Piece::Ph(name.to_string()),
                    other => other.clone(),
                })
                .collect(),
            tags: self.tags.clone(),
        }
    }

    fn has_hole(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Hole(_)))
    }

    /// The text when the template has no placeholder.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => out.push_str(t),
                Piece::Ph(_) | Piece::Hole(_) => return None,
            }
        }
        Some(out)
    }

    /// Concatenation, when the two alternatives are compatible.
    pub fn join(&self, other: &Alt) -> Option<Alt> {
        let tags = merge_tags(&self.tags, &other.tags)?;
        let mut out = Alt {
            pieces: self.pieces.clone(),
            tags,
        };
        for p in &other.pieces {
            out.push(p.clone());
        }
        Some(out)
    }

    /// Applies `f` to every literal piece.
    pub fn map_lits(&self, f: impl Fn(&str) -> String) -> Alt {
        let mut out = Alt {
            pieces: Vec::new(),
            tags: self.tags.clone(),
        };
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => out.push(Piece::Lit(f(t))),
                other => out.push(other.clone()),
            }
        }
        out
    }
}

/// The union of two tag lists, or `None` when they pick different choices
/// of one binding.
pub fn merge_tags(a: &[(u32, u32)], b: &[(u32, u32)]) -> Option<Vec<(u32, u32)>> {
    if b.is_empty() {
        return Some(a.to_vec());
    }
    if a.is_empty() {
        return Some(b.to_vec());
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                if x.1 != y.1 {
                    return None;
                }
                out.push(*x);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    Some(out)
}

/// An external module or one of its members, by dotted path
/// (`requests.get`, `os.environ`, `random.choice`).
pub type Path = Rc<str>;

/// What an object value is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Obj {
    /// `self` of the method being evaluated.
    SelfRef,
    /// `self.user` inside a TaskSet.
    UserRef,
    /// An HTTP client.
    Client(Client),
    /// An external module or member.
    Path(Path),
    /// The response of requests recorded in the current function: indices
    /// into its hits.
    Response(Vec<usize>),
    /// `urllib.request.Request(url, method=...)`.
    UrlRequest(Box<Val>, Box<Val>),
    /// A method of the program, found on `self`.
    Method(usize),
    /// A function of the program (module level).
    Func(usize),
    /// A function defined inside the function being evaluated.
    Local(usize),
    /// A class of the program.
    Class(usize),
    /// `super()`.
    Super,
    /// `client.rename_request(name)`: requests sent inside the `with`
    /// block are reported under this name.
    Rename(Option<String>),
}

/// What the evaluator knows about a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Val {
    /// A string: one or more alternative templates.
    Str(Vec<Alt>),
    /// A number, as written.
    Num(String),
    /// A list, tuple or set literal.
    Seq(Vec<Val>),
    /// A dict literal.
    Dict(Vec<(Val, Val)>),
    None,
    Obj(Obj),
    /// A parameter without a known argument; the text says why.
    Param(Rc<str>),
    /// Not known statically; the text says why.
    Unknown(Rc<str>),
}

impl Val {
    /// One allocation: the text is copied straight into the shared string.
    pub fn unknown(reason: impl AsRef<str>) -> Val {
        Val::Unknown(Rc::from(reason.as_ref()))
    }

    pub fn lit(text: impl Into<String>) -> Val {
        Val::Str(vec![Alt::lit(text)])
    }

    /// Why this is not a string, for values that are not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Val::Unknown(r) | Val::Param(r) => Some(r),
            _ => None,
        }
    }

    /// The value as string alternatives; numbers count as their text.
    pub fn as_alts(&self) -> Option<Vec<Alt>> {
        match self {
            Val::Str(alts) => Some(alts.clone()),
            Val::Num(n) => Some(vec![Alt::lit(n.clone())]),
            _ => None,
        }
    }

    /// The value as string alternatives; anything not known becomes the
    /// placeholder `{name}`.
    pub fn to_alts(&self, name: &str) -> Vec<Alt> {
        match self.as_alts() {
            Some(alts) => alts.iter().map(|a| a.name_holes(name)).collect(),
            None => vec![Alt::placeholder(name)],
        }
    }

    /// The value bound to the variable `name`: its holes take that name.
    pub fn named(self, name: &str) -> Val {
        match self {
            Val::Str(alts) if alts.iter().any(Alt::has_hole) => {
                Val::Str(alts.iter().map(|a| a.name_holes(name)).collect())
            }
            other => other,
        }
    }

    /// Adds the tag `(binding, choice)` to every alternative.
    pub fn tagged(self, binding: u32, choice: u32) -> Val {
        match self {
            Val::Str(alts) => Val::Str(
                alts.into_iter()
                    .filter_map(|mut a| {
                        a.tags = merge_tags(&a.tags, &[(binding, choice)])?;
                        Some(a)
                    })
                    .collect(),
            ),
            Val::Num(n) => Val::Str(vec![Alt {
                pieces: vec![Piece::Lit(n)],
                tags: vec![(binding, choice)],
            }]),
            Val::Seq(items) => Val::Seq(
                items
                    .into_iter()
                    .map(|v| v.tagged(binding, choice))
                    .collect(),
            ),
            other => other,
        }
    }

    /// The union of two possible values of one variable: strings join
    /// their alternatives, a string beats anything else, otherwise the
    /// first stays.
    pub fn union(self, other: Val) -> Val {
        match (self, other) {
            (Val::Str(mut a), Val::Str(b)) => {
                for alt in b {
                    if !a.contains(&alt) {
                        a.push(alt);
                    }
                }
                if a.len() > MAX_ALTS {
                    return Val::unknown("too many possible values");
                }
                Val::Str(a)
            }
            (a, b) if a == b => a,
            (Val::Str(mut a), Val::Unknown(r) | Val::Param(r)) => {
                let hole = Alt {
                    pieces: vec![Piece::Hole(r)],
                    tags: Vec::new(),
                };
                if !a.contains(&hole) {
                    a.push(hole);
                }
                Val::Str(a)
            }
            (Val::Unknown(r) | Val::Param(r), Val::Str(b)) => {
                let mut a = vec![Alt {
                    pieces: vec![Piece::Hole(r)],
                    tags: Vec::new(),
                }];
                a.extend(b);
                Val::Str(a)
            }
            (Val::Str(a), _) | (_, Val::Str(a)) => Val::Str(a),
            (Val::None, b) => b,
            (Val::Seq(mut a), Val::Seq(b)) => {
                a.extend(b);
                Val::Seq(a)
            }
            (a, _) => a,
        }
    }
}

/// The concatenation of two string values, product of their alternatives.
pub fn concat(a: &[Alt], b: &[Alt]) -> Val {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(z) = x.join(y) {
                if out.len() >= MAX_ALTS {
                    return Val::unknown("too many possible values");
                }
                if !out.contains(&z) {
                    out.push(z);
                }
            }
        }
    }
    if out.is_empty() {
        return Val::unknown("no consistent value");
    }
    Val::Str(out)
}

/// A placeholder name for the expression text `text`: its last name
/// (`self.agent_name` -> `agent_name`), or `value`.
pub fn name_from_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .rfind(|w| !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map_or_else(|| "value".to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_join_only_when_choices_agree() {
        assert_eq!(merge_tags(&[(1, 0)], &[(1, 0)]), Some(vec![(1, 0)]));
        assert_eq!(merge_tags(&[(1, 0)], &[(1, 1)]), None);
        assert_eq!(
            merge_tags(&[(1, 0), (3, 2)], &[(2, 1)]),
            Some(vec![(1, 0), (2, 1), (3, 2)])
        );
    }

    #[test]
    fn concat_pairs_tagged_alternatives() {
        let choices = |texts: &[&str]| -> Vec<Alt> {
            texts
                .iter()
                .enumerate()
                .flat_map(|(i, t)| {
                    Val::lit(*t)
                        .tagged(7, i as u32)
                        .as_alts()
                        .unwrap_or_default()
                })
                .collect()
        };
        let urls = choices(&["/a", "/b"]);
        let labels: Vec<Alt> = urls
            .iter()
            .map(|x| x.map_lits(|t| format!("{t} [x]")))
            .collect();
        let Val::Str(out) = concat(&urls, &labels) else {
            panic!("not a string")
        };
        let texts: Vec<String> = out.iter().map(Alt::render).collect();
        assert_eq!(texts, ["/a/a [x]", "/b/b [x]"]);
    }

    #[test]
    fn placeholder_names() {
        assert_eq!(name_from_text("tool_id"), "tool_id");
        assert_eq!(name_from_text("self.agent_name"), "agent_name");
        assert_eq!(name_from_text("1 + 2"), "value");
    }
}
