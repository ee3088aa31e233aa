//! The names of the functions a module calls (`f(...)`, `x.f(...)`),
//! anywhere in its statements: a function never called by name and never
//! reached from a user is evaluated on its own. Gathered while the parser
//! has the statements at hand, so the tree is not read again later.

use super::ast::{AugAssign, DictItem, Expr, For, Stmt, StrPart, Trailer};
use super::hash::FastSet;

/// Adds the names called in `body` and the blocks inside it.
pub fn walk_stmts<'a>(body: &[Stmt<'a>], out: &mut FastSet<&'a str>) {
    for s in body {
        match s {
            Stmt::Expr(e) => walk_expr(e, out),
            Stmt::Assign { targets, value } => {
                targets.iter().for_each(|t| walk_expr(t, out));
                walk_expr(value, out);
            }
            Stmt::AugAssign(AugAssign { target, value, .. }) => {
                walk_expr(target, out);
                walk_expr(value, out);
            }
            Stmt::Return(Some(e)) => walk_expr(e, out),
            Stmt::If(branches) => {
                for (t, b) in branches.iter() {
                    if let Some(t) = t {
                        walk_expr(t, out);
                    }
                    walk_stmts(b, out);
                }
            }
            Stmt::For(For {
                target,
                iter,
                body,
                orelse,
            }) => {
                walk_expr(target, out);
                walk_expr(iter, out);
                walk_stmts(body, out);
                walk_stmts(orelse, out);
            }
            Stmt::While { body, orelse } => {
                walk_stmts(body, out);
                walk_stmts(orelse, out);
            }
            Stmt::With { items, body } => {
                for (e, _) in items.iter() {
                    walk_expr(e, out);
                }
                walk_stmts(body, out);
            }
            Stmt::Try(parts) => parts.iter().for_each(|b| walk_stmts(b, out)),
            Stmt::Block(b) => walk_stmts(b, out),
            Stmt::Def(d) => {
                d.decorators.iter().for_each(|e| walk_expr(e, out));
                walk_stmts(d.body, out);
            }
            Stmt::Class(c) => walk_stmts(c.body, out),
            _ => {}
        }
    }
}

fn walk_expr<'a>(e: &Expr<'a>, out: &mut FastSet<&'a str>) {
    match e {
        Expr::Postfix(base, trailers) => {
            walk_expr(base, out);
            let mut last_name = base.as_name();
            for t in trailers.iter() {
                match t {
                    Trailer::Attr(a) => last_name = Some(a),
                    Trailer::Call(call) => {
                        if let Some(n) = last_name {
                            out.insert(n);
                        }
                        for a in call.args.iter() {
                            walk_expr(&a.value, out);
                        }
                        last_name = None;
                    }
                    Trailer::Index(i) => {
                        walk_expr(i, out);
                        last_name = None;
                    }
                }
            }
        }
        Expr::List(items)
        | Expr::Tuple(items)
        | Expr::Set(items)
        | Expr::Or(items)
        | Expr::And(items)
        | Expr::Other(items) => {
            items.iter().for_each(|i| walk_expr(i, out));
        }
        Expr::Dict(items) => {
            for i in items.iter() {
                match i {
                    DictItem::Pair(k, v) => {
                        walk_expr(k, out);
                        walk_expr(v, out);
                    }
                    DictItem::Splat(x) => walk_expr(x, out),
                }
            }
        }
        Expr::Binary(first, rest) => {
            walk_expr(first, out);
            rest.iter().for_each(|(_, x)| walk_expr(x, out));
        }
        Expr::IfElse(parts) => parts.iter().for_each(|p| walk_expr(p, out)),
        Expr::Starred(x) => walk_expr(x, out),
        Expr::Comp(c) => {
            walk_expr(&c.elt, out);
            for (t, i) in c.clauses.iter() {
                walk_expr(t, out);
                walk_expr(i, out);
            }
            c.conds.iter().for_each(|x| walk_expr(x, out));
        }
        Expr::Str(parts) => {
            for p in parts.iter() {
                if let StrPart::Field { expr, .. } = p {
                    walk_expr(expr, out);
                }
            }
        }
        Expr::Name(_) | Expr::Num(_) | Expr::Bytes => {}
    }
}
