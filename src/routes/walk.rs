//! Which files the router reader reads: the `--routers` paths, directories
//! walked in sorted order, skipping what is not the service's own source
//! (virtualenvs, `node_modules`, hidden and build directories, caches).

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context as _};
use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// A source file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where to read it from.
    pub path: PathBuf,
    /// How reports name it: relative to the working directory when it lies
    /// under it, `/`-separated.
    pub display: String,
}

/// Directory names never walked into (hidden directories are skipped too).
const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "node_modules",
    "site-packages",
    "venv",
    "virtualenv",
    "build",
    "dist",
    "htmlcov",
];

/// Lists the Python files under `paths`: a file is taken as given, a
/// directory is walked (sorted by name, symlinks followed, loops skipped).
/// Each file is listed once, in the order the paths name them.
pub fn python_files(
    paths: &[PathBuf],
    warnings: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<SourceFile>> {
    let cwd = std::env::current_dir().ok();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).with_context(|| {
            format!(
                "--routers {}: cannot read it; pass a Python file or a directory of the service's source",
                root.display()
            )
        })?;
        if meta.is_file() {
            push(&mut out, &mut seen, root, cwd.as_deref());
            continue;
        }
        if !meta.is_dir() {
            bail!(
                "--routers {}: not a file or a directory; pass a Python file or a directory of the service's source",
                root.display()
            );
        }
        let walk = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !skipped_dir(e.path()));
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    // A symlink loop or an unreadable directory: say so and go on.
                    let at = err.path().map(|p| display_path(p, cwd.as_deref()));
                    warnings.push(Diagnostic::new(
                        at.unwrap_or_else(|| display_path(root, cwd.as_deref())),
                        0,
                        0,
                        "walk",
                        format!("skipped: {}", walk_reason(&err)),
                    ));
                    continue;
                }
            };
            if entry.file_type().is_file()
                && entry.path().extension().is_some_and(|ext| ext == "py")
            {
                push(&mut out, &mut seen, entry.path(), cwd.as_deref());
            }
        }
    }
    Ok(out)
}

fn walk_reason(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        "a symlink loops back to a directory above it".to_string()
    } else if let Some(io) = err.io_error() {
        io.to_string()
    } else {
        err.to_string()
    }
}

fn push(out: &mut Vec<SourceFile>, seen: &mut HashSet<PathBuf>, path: &Path, cwd: Option<&Path>) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        out.push(SourceFile {
            path: path.to_path_buf(),
            display: display_path(path, cwd),
        });
    }
}

/// A directory that holds no service source of its own.
fn skipped_dir(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with('.')
        || SKIPPED_DIRS.contains(&name)
        || name.ends_with(".egg-info")
        || path.join("pyvenv.cfg").is_file()
}

/// `path` as reports print it: relative to `cwd` when under it, without
/// `.` components, with `/` separators.
pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let rel = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in rel.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x = 1\n").unwrap();
    }

    #[test]
    fn walks_sorted_and_skips_what_is_not_source() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for rel in [
            "app/main.py",
            "app/routers/b.py",
            "app/routers/a.py",
            "app/notes.txt",
            "app/.venv/lib/x.py",
            "app/venv2/pyvenv.cfg",
            "app/venv2/lib/x.py",
            "app/node_modules/x.py",
            "app/__pycache__/x.py",
            "app/build/x.py",
            "app/.hidden/x.py",
            "app/pkg.egg-info/x.py",
        ] {
            write(d, rel);
        }
        let mut warnings = Vec::new();
        let files = python_files(&[d.join("app")], &mut warnings).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| display_path(f.path.strip_prefix(d).unwrap(), None))
            .collect();
        assert_eq!(
            names,
            ["app/main.py", "app/routers/a.py", "app/routers/b.py"]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_file_named_twice_is_read_once_and_a_missing_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.py");
        let file = dir.path().join("main.py");
        let mut warnings = Vec::new();
        let files = python_files(&[file.clone(), dir.path().to_path_buf()], &mut warnings).unwrap();
        assert_eq!(files.len(), 1);
        let err = python_files(&[dir.path().join("nope")], &mut warnings).unwrap_err();
        assert!(format!("{err:#}").contains("--routers"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "app/a.py");
        std::os::unix::fs::symlink(dir.path().join("app"), dir.path().join("app/loop")).unwrap();
        let mut warnings = Vec::new();
        let files = python_files(&[dir.path().join("app")], &mut warnings).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("loop"), "{warnings:?}");
    }

    #[test]
    fn display_paths_are_relative_and_clean() {
        let cwd = Path::new("/srv/repo");
        assert_eq!(
            display_path(Path::new("/srv/repo/app/x.py"), Some(cwd)),
            "app/x.py"
        );
        assert_eq!(display_path(Path::new("./app/x.py"), Some(cwd)), "app/x.py");
        assert_eq!(
            display_path(Path::new("/elsewhere/x.py"), Some(cwd)),
            "/elsewhere/x.py"
        );
    }
}
