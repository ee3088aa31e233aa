//! The index of everything the scanned files define: classes (with their
//! class-body attributes, methods, nested classes and the `self.x = ...`
//! assignments of their methods), functions, module-level names and
//! imports, so that every lookup the evaluator makes is a hash-map hit.

use super::ast::{ClassDef, Expr, For, FuncDef, Stmt, Trailer};
use super::hash::{FastMap, FastSet};
use crate::name::Name;
use crate::python::source::LineIndex;

pub type ClassId = usize;
pub type FuncId = usize;
pub type FileId = usize;

/// One parsed file.
pub struct ParsedFile<'a> {
    /// The path as the user named it.
    pub path: String,
    pub lines: LineIndex,
    pub body: &'a [Stmt<'a>],
    /// Names of the functions the file calls (see [`super::calls`]).
    pub called: FastSet<&'a str>,
}

/// What a module-level name is bound to.
#[derive(Debug, Clone, Copy)]
pub enum Binding<'a> {
    /// `import a.b as c` binds `c` to `a.b`; `import a.b` binds `a` to `a`.
    Module(&'a str),
    /// `from module import name`.
    From(&'a str, &'a str),
    Class(ClassId),
    Func(FuncId),
}

pub struct FileInfo<'a> {
    pub path: Name,
    pub lines: &'a LineIndex,
    pub body: &'a [Stmt<'a>],
    /// Imports, classes and functions bound at module level.
    pub names: FastMap<&'a str, Binding<'a>>,
    /// Every module-level assignment to a name, in source order.
    pub assigns: FastMap<&'a str, Vec<&'a Expr<'a>>>,
    /// The module name others import this file as (its file stem).
    pub module: String,
}

pub struct ClassInfo<'a> {
    pub file: FileId,
    pub def: &'a ClassDef<'a>,
    /// The enclosing class, for nested classes.
    pub outer: Option<ClassId>,
    /// `Outer.Inner` for nested classes.
    pub qualname: Name,
    /// Class-body assignments (the last one wins).
    pub attrs: FastMap<&'a str, &'a Expr<'a>>,
    pub methods: FastMap<&'a str, FuncId>,
    pub nested: FastMap<&'a str, ClassId>,
    /// `self.name = value` in any method of the class.
    pub self_assigns: FastMap<&'a str, Vec<&'a Expr<'a>>>,
}

pub struct FuncInfo<'a> {
    pub file: FileId,
    pub def: &'a FuncDef<'a>,
    /// The class this function is a method of.
    pub class: Option<ClassId>,
    /// The function this one is defined in (a closure).
    pub outer: Option<FuncId>,
}

pub struct Program<'a> {
    pub files: Vec<FileInfo<'a>>,
    pub classes: Vec<ClassInfo<'a>>,
    pub funcs: Vec<FuncInfo<'a>>,
    /// `(file, offset of def)` -> function.
    pub func_at: FastMap<(FileId, u32), FuncId>,
    /// Class name -> every class of that name, in file order.
    pub classes_by_name: FastMap<&'a str, Vec<ClassId>>,
    /// File module name -> file.
    pub file_by_module: FastMap<String, FileId>,
    /// Names of the functions called anywhere in the files.
    pub called: FastSet<&'a str>,
}

impl<'a> Program<'a> {
    pub fn build(parsed: &'a [ParsedFile<'a>]) -> Program<'a> {
        let mut prog = Program {
            files: Vec::new(),
            classes: Vec::new(),
            funcs: Vec::new(),
            func_at: FastMap::default(),
            classes_by_name: FastMap::default(),
            file_by_module: FastMap::default(),
            called: FastSet::default(),
        };
        for (file_id, pf) in parsed.iter().enumerate() {
            let module = std::path::Path::new(&pf.path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            prog.file_by_module.entry(module.clone()).or_insert(file_id);
            prog.called.extend(pf.called.iter().copied());
            let mut info = FileInfo {
                path: Name::from(&pf.path),
                lines: &pf.lines,
                body: pf.body,
                names: FastMap::default(),
                assigns: FastMap::default(),
                module,
            };
            prog.module_level(file_id, pf.body, &mut info);
            prog.files.push(info);
        }
        prog
    }

    /// Module-level statements, including those inside top-level `if`,
    /// `try` and `with` blocks.
    fn module_level(&mut self, file: FileId, body: &'a [Stmt<'a>], info: &mut FileInfo<'a>) {
        for stmt in body {
            match stmt {
                Stmt::Import(items) => {
                    for (module, bound) in items.iter() {
                        let first = module.split('.').next().unwrap_or(module);
                        let target = if *bound == first { first } else { module };
                        info.names.insert(bound, Binding::Module(target));
                    }
                }
                Stmt::ImportFrom { module, names } => {
                    for (name, alias) in names.iter() {
                        if *name != "*" {
                            info.names.insert(alias, Binding::From(module, name));
                        }
                    }
                }
                Stmt::Assign { targets, value } => {
                    for t in targets.iter() {
                        if let Expr::Name(n) = t {
                            info.assigns.entry(n).or_default().push(value);
                        }
                    }
                }
                Stmt::Class(def) => {
                    let id = self.class(file, def, None, None);
                    info.names.insert(def.name, Binding::Class(id));
                }
                Stmt::Def(def) => {
                    let id = self.func(file, def, None, None);
                    info.names.insert(def.name, Binding::Func(id));
                }
                Stmt::If(branches) => {
                    for (_, b) in branches.iter() {
                        self.module_level(file, b, info);
                    }
                }
                Stmt::Try(parts) => {
                    for b in parts.iter() {
                        self.module_level(file, b, info);
                    }
                }
                Stmt::With { body, .. } | Stmt::Block(body) => self.module_level(file, body, info),
                Stmt::For(For { body, orelse, .. }) | Stmt::While { body, orelse } => {
                    self.module_level(file, body, info);
                    self.module_level(file, orelse, info);
                }
                _ => {}
            }
        }
    }

    fn class(
        &mut self,
        file: FileId,
        def: &'a ClassDef<'a>,
        outer: Option<ClassId>,
        in_func: Option<FuncId>,
    ) -> ClassId {
        let id = self.classes.len();
        let qualname = match outer {
            Some(o) => format!("{}.{}", self.classes[o].qualname, def.name),
            None => def.name.to_string(),
        };
        self.classes.push(ClassInfo {
            file,
            def,
            outer,
            qualname: Name::from(qualname),
            attrs: FastMap::default(),
            methods: FastMap::default(),
            nested: FastMap::default(),
            self_assigns: FastMap::default(),
        });
        self.classes_by_name.entry(def.name).or_default().push(id);
        self.class_body(file, id, def.body, in_func);
        id
    }

    fn class_body(
        &mut self,
        file: FileId,
        id: ClassId,
        body: &'a [Stmt<'a>],
        in_func: Option<FuncId>,
    ) {
        for stmt in body {
            match stmt {
                Stmt::Assign { targets, value } => {
                    for t in targets.iter() {
                        if let Expr::Name(n) = t {
                            self.classes[id].attrs.insert(n, value);
                        }
                    }
                }
                Stmt::Def(def) => {
                    let f = self.func(file, def, Some(id), in_func);
                    self.classes[id].methods.insert(def.name, f);
                    let mut assigns = Vec::new();
                    if def.sets_attrs {
                        self_assigns(def.body, first_param(def), &mut assigns);
                    }
                    for (name, value) in assigns {
                        self.classes[id]
                            .self_assigns
                            .entry(name)
                            .or_default()
                            .push(value);
                    }
                }
                Stmt::Class(def) => {
                    let c = self.class(file, def, Some(id), in_func);
                    self.classes[id].nested.insert(def.name, c);
                }
                Stmt::If(branches) => {
                    for (_, b) in branches.iter() {
                        self.class_body(file, id, b, in_func);
                    }
                }
                Stmt::Try(parts) => {
                    for b in parts.iter() {
                        self.class_body(file, id, b, in_func);
                    }
                }
                Stmt::Block(b) => self.class_body(file, id, b, in_func),
                _ => {}
            }
        }
    }

    fn func(
        &mut self,
        file: FileId,
        def: &'a FuncDef<'a>,
        class: Option<ClassId>,
        outer: Option<FuncId>,
    ) -> FuncId {
        let id = self.funcs.len();
        self.funcs.push(FuncInfo {
            file,
            def,
            class,
            outer,
        });
        self.func_at.insert((file, def.at), id);
        if def.defines {
            self.nested_defs(file, def.body, id);
        }
        id
    }

    /// Functions and classes defined inside a function body.
    fn nested_defs(&mut self, file: FileId, body: &'a [Stmt<'a>], outer: FuncId) {
        for stmt in body {
            match stmt {
                Stmt::Def(def) => {
                    self.func(file, def, None, Some(outer));
                }
                Stmt::Class(def) => {
                    self.class(file, def, None, Some(outer));
                }
                _ => {
                    for_each_block(stmt, |b| self.nested_defs(file, b, outer));
                }
            }
        }
    }
}

/// Calls `f` on every block directly inside a compound statement.
pub fn for_each_block<'a>(stmt: &'a Stmt<'a>, mut f: impl FnMut(&'a [Stmt<'a>])) {
    match stmt {
        Stmt::If(branches) => {
            for (_, b) in branches.iter() {
                f(b);
            }
        }
        Stmt::For(For { body, orelse, .. }) | Stmt::While { body, orelse } => {
            f(body);
            f(orelse);
        }
        Stmt::With { body, .. } | Stmt::Block(body) => f(body),
        Stmt::Try(parts) => {
            for b in parts.iter() {
                f(b);
            }
        }
        _ => {}
    }
}

/// The name of a function's first parameter (`self` by convention).
pub fn first_param<'a>(def: &FuncDef<'a>) -> Option<&'a str> {
    def.params.first().filter(|p| !p.star).map(|p| p.name)
}

/// `self.name = value` assignments anywhere in a method body (not in
/// nested functions or classes).
fn self_assigns<'a>(
    body: &'a [Stmt<'a>],
    this: Option<&'a str>,
    out: &mut Vec<(&'a str, &'a Expr<'a>)>,
) {
    let Some(this) = this else { return };
    for stmt in body {
        match stmt {
            Stmt::Assign { targets, value } => {
                for t in targets.iter() {
                    if let Expr::Postfix(base, trailers) = t {
                        if let ([Trailer::Attr(attr)], Expr::Name(b)) = (*trailers, *base) {
                            if *b == this {
                                out.push((attr, value));
                            }
                        }
                    }
                }
            }
            _ => for_each_block(stmt, |b| self_assigns(b, Some(this), out)),
        }
    }
}
