//! Which files to scan: every file named on the command line, and under
//! every directory named there (walked in sorted order, hidden directories,
//! virtual environments and `node_modules` skipped) each `locustfile*.py`
//! and each other `*.py` that may declare a Locust user.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use walkdir::{DirEntry, WalkDir};

/// A file to scan, read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user named it (joined under a named directory).
    pub path: String,
    pub bytes: Vec<u8>,
    /// Named on the command line or called `locustfile*.py`: reported even
    /// when it declares no user. Other files found in a directory are
    /// reported only when they declare a Locust class.
    pub required: bool,
}

/// Finds and reads the files to scan. A path that does not exist or cannot
/// be read is an error naming it.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut seen = HashSet::new();
    for root in paths {
        let meta = fs::metadata(root)
            .with_context(|| format!("cannot read locustfile `{}`", root.display()))?;
        if !meta.is_dir() && !meta.is_file() {
            // A FIFO, socket or device would block or never end: refuse it
            // before opening it.
            bail!(
                "cannot read locustfile `{}`: it is not a regular file (a FIFO, socket or device); pass a Python file or a directory",
                root.display()
            );
        }
        if !meta.is_dir() {
            push(&mut inputs, &mut seen, root, true)?;
            continue;
        }
        let before = inputs.len();
        let mut python = 0usize;
        let walker = WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped_dir(e));
        for entry in walker {
            let entry = entry.with_context(|| {
                format!("cannot walk the locustfile directory `{}`", root.display())
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if !name.ends_with(".py") {
                continue;
            }
            let required = name.starts_with("locustfile");
            python += 1;
            push(&mut inputs, &mut seen, entry.path(), required)?;
        }
        if inputs.len() == before && python == 0 {
            bail!(
                "found no Python file under `{}`: name the locustfiles with --locustfile",
                root.display()
            );
        }
        if inputs.len() == before {
            bail!(
                "found no locustfile under `{}`: {python} Python file{}, none of them mentions Locust; name the locustfiles with --locustfile",
                root.display(),
                if python == 1 { "" } else { "s" }
            );
        }
    }
    Ok(inputs)
}

fn push(
    inputs: &mut Vec<Input>,
    seen: &mut HashSet<PathBuf>,
    path: &Path,
    required: bool,
) -> anyhow::Result<()> {
    let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if !seen.insert(key) {
        return Ok(());
    }
    let bytes =
        fs::read(path).with_context(|| format!("cannot read locustfile `{}`", path.display()))?;
    if crate::binary::looks_binary(&bytes) {
        if required {
            bail!(
                "{}: not a Python source file (binary data); check --locustfile",
                path.display()
            );
        }
        return Ok(());
    }
    if !required && !may_declare_user(&bytes) {
        return Ok(());
    }
    inputs.push(Input {
        path: path.to_string_lossy().into_owned(),
        bytes,
        required,
    });
    Ok(())
}

/// The cheap test before scanning a file found in a directory.
fn may_declare_user(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"locust") || has(b"User") || has(b"TaskSet")
}

fn skipped_dir(entry: &DirEntry) -> bool {
    if !entry.file_type().is_dir() {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.')
        || matches!(
            name.as_ref(),
            "node_modules" | "__pycache__" | "site-packages" | "venv" | "env"
        )
        || entry.path().join("pyvenv.cfg").exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_environments() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(p, text).expect("write");
        };
        write("b/locustfile_b.py", "x = 1\n");
        write("a/locustfile.py", "x = 1\n");
        write("a/common.py", "from locust import HttpUser\n");
        write("a/util.py", "def f(): pass\n");
        write(".hidden/locustfile.py", "x = 1\n");
        write("node_modules/locustfile.py", "x = 1\n");
        write("venv/locustfile.py", "x = 1\n");
        write("myenv/pyvenv.cfg", "home = /usr\n");
        write("myenv/locustfile.py", "x = 1\n");
        let found = discover(&[root.to_path_buf()]).expect("discover");
        let names: Vec<(String, bool)> = found
            .iter()
            .map(|i| {
                let rel = Path::new(&i.path).strip_prefix(root).expect("under root");
                (rel.to_string_lossy().into_owned(), i.required)
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a/common.py".to_string(), false),
                ("a/locustfile.py".to_string(), true),
                ("b/locustfile_b.py".to_string(), true),
            ]
        );
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let err = discover(&[PathBuf::from("no/such/locustfile.py")]).expect_err("missing");
        assert!(format!("{err:#}").contains("no/such/locustfile.py"));
    }
}
