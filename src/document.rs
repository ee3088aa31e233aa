//! The tracking document on disk: carrying the hand-written notes block over
//! from the old file, writing atomically (a temporary file in the same
//! directory, fsync, rename: on any error the old file is untouched), and
//! `--check` (regenerate in memory, compare, show a short diff).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use rustc_hash::FxHashMap;

use crate::audit::Audit;
use crate::name::Name;
use crate::report::markdown::{self, EMPTY_NOTES, NOTES_END, NOTES_START};

/// Changed lines a diff shows at most.
pub const DIFF_LINES: usize = 20;
/// Unchanged lines shown around each change.
const CONTEXT: usize = 2;

/// Reads the document, CRLF line ends read as LF; `None` when it does not
/// exist yet.
pub fn read(path: &Path) -> anyhow::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(lf(text))),
        // A parent that is not a directory: there is no file, and the write
        // will say why it cannot make one.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The text between the notes markers of an existing document (`None` when
/// it has no block). A block that is opened but not closed is an error, so
/// that nothing a person wrote is lost.
pub fn notes(text: &str, path: &Path) -> anyhow::Result<Option<String>> {
    let Some(start) = text.find(NOTES_START) else {
        if text.contains(NOTES_END) {
            bail!(
                "{} has `{NOTES_END}` without `{NOTES_START}`: restore the opening marker \
                 so the notes are kept",
                path.display()
            );
        }
        return Ok(None);
    };
    let after = text.get(start + NOTES_START.len()..).unwrap_or("");
    match after.find(NOTES_END) {
        Some(end) => Ok(Some(after.get(..end).unwrap_or("").to_string())),
        None => bail!(
            "{} has `{NOTES_START}` without `{NOTES_END}`: restore the closing marker so \
             the notes are kept",
            path.display()
        ),
    }
}

/// Renders the document, keeping the notes of `existing` (the file's text).
pub fn render(audit: &Audit, existing: Option<&str>, path: &Path) -> anyhow::Result<String> {
    let notes = match existing {
        Some(text) => notes(text, path)?,
        None => None,
    };
    Ok(markdown::render(
        audit,
        notes.as_deref().unwrap_or(EMPTY_NOTES),
    ))
}

/// The audit with every file path made relative to `root` (the config
/// file's directory, relative to the working directory), so the document is
/// the same whichever directory cov runs from. Paths outside `root` stay
/// as they are.
pub fn rebase(audit: &Audit, root: &Path) -> anyhow::Result<Audit> {
    let mut audit = audit.clone();
    if root.as_os_str().is_empty() {
        return Ok(audit);
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let root = normalize(&cwd.join(root));
    // The path relative to `root`, when it is inside.
    let rebased = |file: &str| -> Option<String> {
        if file.is_empty() {
            return None;
        }
        let abs = normalize(&cwd.join(file));
        let text = abs.strip_prefix(&root).ok()?.to_str()?;
        (!text.is_empty()).then(|| text.replace('\\', "/"))
    };
    let fix = |file: &mut String| {
        if let Some(text) = rebased(file) {
            *file = text;
        }
    };
    // Shared names are rebased once each and stay shared.
    let mut names: FxHashMap<Name, Name> = FxHashMap::default();
    let mut fix_name = |file: &mut Name| {
        let new = names
            .entry(file.clone())
            .or_insert_with(|| rebased(file).map_or_else(|| file.clone(), Name::from));
        *file = new.clone();
    };
    for e in &mut audit.endpoints {
        for c in &mut e.covered_by {
            fix_name(&mut c.file);
        }
        if let Some(d) = &mut e.declared_at {
            fix_name(&mut d.file);
        }
        if e.group_kind == crate::audit::GroupKind::File {
            fix_name(&mut e.group);
        }
    }
    for group in &mut audit.groups {
        if group.group_kind == crate::audit::GroupKind::File {
            fix(&mut group.group);
        }
    }
    for u in &mut audit.unmatched {
        fix(&mut u.file);
    }
    for u in &mut audit.unresolved {
        fix(&mut u.file);
    }
    for w in &mut audit.warnings {
        fix(&mut w.file);
    }
    Ok(audit)
}

/// `a/./b/../c` -> `a/c`, without touching the filesystem.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What `--write` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
}

/// Regenerates the document at `path`.
pub fn write(audit: &Audit, path: &Path) -> anyhow::Result<Written> {
    let existing = read(path)?;
    let text = render(audit, existing.as_deref(), path)?;
    match existing {
        Some(old) if old == text => Ok(Written::Unchanged),
        Some(_) => write_atomic(path, text.as_bytes()).map(|()| Written::Updated),
        None => write_atomic(path, text.as_bytes()).map(|()| Written::Created),
    }
}

/// Replaces `path` with `contents` atomically, creating parent directories.
/// On any error the old file (if any) is left as it was. A symlink at
/// `path` stays a symlink (its target is replaced), and the old file's
/// permissions carry over.
pub fn write_atomic(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    write_atomic_inner(path, contents).with_context(|| {
        format!(
            "cannot write {}: the old file, if any, is untouched",
            path.display()
        )
    })
}

fn write_atomic_inner(path: &Path, contents: &[u8]) -> io::Result<()> {
    let path = &through_symlinks(path)?;
    let old_permissions = fs::metadata(path).ok().map(|m| m.permissions());
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
    })?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = File::options().write(true).create_new(true).open(&tmp)?;
        if let Some(permissions) = old_permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    // Make the rename itself durable where directories can be synced.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file a chain of symlinks at `path` ends at (which may not exist
/// yet); `path` itself when it is no symlink.
fn through_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    // As many links as the system itself follows before giving up.
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// What `--check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    UpToDate,
    Missing,
    /// A short unified-style diff from the file on disk to the regenerated text.
    Differs(String),
}

/// Regenerates the document in memory and compares it with the file.
pub fn check(audit: &Audit, path: &Path) -> anyhow::Result<Check> {
    let Some(old) = read(path)? else {
        return Ok(Check::Missing);
    };
    let new = render(audit, Some(&old), path)?;
    if old == new {
        Ok(Check::UpToDate)
    } else {
        Ok(Check::Differs(diff(
            &old,
            &new,
            &path.display().to_string(),
        )))
    }
}

/// The file's text with CRLF line ends (a checkout with `core.autocrlf`)
/// read as LF, so they are no difference and the notes keep LF ends.
fn lf(on_disk: String) -> String {
    if on_disk.contains("\r\n") {
        on_disk.replace("\r\n", "\n")
    } else {
        on_disk
    }
}

/// A unified-style diff from `old` to `new`: hunks with [`CONTEXT`] lines
/// around each change, at most [`DIFF_LINES`] changed lines shown.
pub fn diff(old: &str, new: &str, name: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edit_script(&a, &b);
    let mut out = format!("--- {name} (on disk)\n+++ {name} (regenerated)\n");
    // Hunks: runs of ops within CONTEXT of a change.
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.kind != Kind::Equal)
        .map(|(i, _)| i)
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changes {
        let lo = i.saturating_sub(CONTEXT);
        let hi = (i + CONTEXT + 1).min(ops.len());
        match hunks.last_mut() {
            Some(last) if lo <= last.1 => last.1 = hi,
            _ => hunks.push((lo, hi)),
        }
    }
    let mut shown = 0usize;
    'hunks: for (lo, hi) in hunks {
        let slice = ops.get(lo..hi).unwrap_or(&[]);
        let Some(first) = slice.first() else { continue };
        let old_count = slice.iter().filter(|o| o.kind != Kind::Insert).count();
        let new_count = slice.iter().filter(|o| o.kind != Kind::Delete).count();
        out.push_str(&format!(
            "@@ -{},{old_count} +{},{new_count} @@\n",
            first.a + 1,
            first.b + 1
        ));
        for op in slice {
            let (sign, line) = match op.kind {
                Kind::Equal => (' ', a.get(op.a)),
                Kind::Delete => ('-', a.get(op.a)),
                Kind::Insert => ('+', b.get(op.b)),
            };
            if op.kind != Kind::Equal {
                if shown == DIFF_LINES {
                    break 'hunks;
                }
                shown += 1;
            }
            out.push_str(&format!("{sign}{}\n", line.copied().unwrap_or("")));
        }
    }
    if changes.len() > shown {
        out.push_str(&format!(
            "... {} more changed lines\n",
            changes.len() - shown
        ));
    }
    if changes.is_empty() && old != new {
        out.push_str("(the files differ in line endings or the final newline)\n");
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Equal,
    Delete,
    Insert,
}

/// One step of an edit script, with the positions in both sides.
#[derive(Debug, Clone, Copy)]
struct Op {
    kind: Kind,
    a: usize,
    b: usize,
}

/// Edits beyond which the diff stops looking for a shortest script and
/// shows the whole changed middle instead.
const MAX_EDITS: usize = 1000;

/// A shortest edit script (Myers' greedy algorithm) over the middle left by
/// the common prefix and suffix.
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
        .min(a.len() - prefix)
        .min(b.len() - prefix);
    let (a_mid, b_mid) = (
        a.get(prefix..a.len() - suffix).unwrap_or(&[]),
        b.get(prefix..b.len() - suffix).unwrap_or(&[]),
    );
    let mut ops: Vec<Op> = (0..prefix)
        .map(|i| Op {
            kind: Kind::Equal,
            a: i,
            b: i,
        })
        .collect();
    let middle = myers(a_mid, b_mid).unwrap_or_else(|| {
        let dels = (0..a_mid.len()).map(|i| Op {
            kind: Kind::Delete,
            a: i,
            b: 0,
        });
        let ins = (0..b_mid.len()).map(|j| Op {
            kind: Kind::Insert,
            a: a_mid.len(),
            b: j,
        });
        dels.chain(ins).collect()
    });
    ops.extend(middle.into_iter().map(|op| Op {
        kind: op.kind,
        a: op.a + prefix,
        b: op.b + prefix,
    }));
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|i| Op {
        kind: Kind::Equal,
        a: a_end + i,
        b: b_end + i,
    }));
    ops
}

fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (a.len() + b.len()).min(MAX_EDITS);
    let offset = max_d as isize + 1;
    let at = |k: isize| (k + offset) as usize;
    let mut v = vec![0isize; 2 * max_d + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max_d as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
            let mut x = if down { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a.get(x as usize) == b.get(y as usize) {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
            k += 2;
        }
    }
    let depth = found?;
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let v = trace.get(d as usize)?;
        let k = x - y;
        let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = v[at(prev_k)];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op {
                kind: Kind::Equal,
                a: x as usize,
                b: y as usize,
            });
        }
        if d > 0 {
            if x == prev_x {
                ops.push(Op {
                    kind: Kind::Insert,
                    a: x as usize,
                    b: prev_y as usize,
                });
            } else {
                ops.push(Op {
                    kind: Kind::Delete,
                    a: prev_x as usize,
                    b: y as usize,
                });
            }
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Status;
    use crate::method::Method;
    use crate::skip::tests::{audit, endpoint};

    fn sample() -> Audit {
        audit(vec![
            endpoint(Method::Get, "/a", "g.py", Status::Covered),
            endpoint(Method::Get, "/b", "g.py", Status::Missing),
        ])
    }

    #[test]
    fn notes_survive_regeneration() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("todo/cov.md");
        assert_eq!(write(&sample(), &path).unwrap(), Written::Created);
        let first = fs::read_to_string(&path).unwrap();
        assert!(first.contains("<!-- cov:notes:start -->\n<!-- cov:notes:end -->"));
        assert_eq!(write(&sample(), &path).unwrap(), Written::Unchanged);
        let edited = first.replace(
            "<!-- cov:notes:start -->\n",
            "<!-- cov:notes:start -->\nWe test /b next sprint.\n",
        );
        fs::write(&path, &edited).unwrap();
        let mut changed = sample();
        changed.endpoints[1].status = Status::Covered;
        assert_eq!(write(&changed, &path).unwrap(), Written::Updated);
        let after = fs::read_to_string(&path).unwrap();
        assert!(after
            .contains("<!-- cov:notes:start -->\nWe test /b next sprint.\n<!-- cov:notes:end -->"));
        assert_ne!(after, edited);
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn normalizes_without_the_filesystem() {
        assert_eq!(normalize(Path::new("/w/a/./b/../c")), Path::new("/w/a/c"));
        assert_eq!(
            normalize(Path::new("/w/sub/../load/x.py")),
            Path::new("/w/load/x.py")
        );
    }

    #[test]
    fn crlf_line_ends_are_not_a_difference() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("cov.md");
        write(&sample(), &path).unwrap();
        let crlf = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        fs::write(&path, &crlf).unwrap();
        assert_eq!(check(&sample(), &path).unwrap(), Check::UpToDate);
        assert_eq!(write(&sample(), &path).unwrap(), Written::Unchanged);
    }

    #[test]
    fn an_unclosed_notes_block_is_an_error() {
        let p = Path::new("doc.md");
        assert!(notes("x <!-- cov:notes:start --> y", p)
            .unwrap_err()
            .to_string()
            .contains("without"));
        assert!(notes("x <!-- cov:notes:end --> y", p)
            .unwrap_err()
            .to_string()
            .contains("without"));
        assert_eq!(notes("no block", p).unwrap(), None);
    }

    #[test]
    fn check_reports_missing_stale_and_up_to_date() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("cov.md");
        assert_eq!(check(&sample(), &path).unwrap(), Check::Missing);
        write(&sample(), &path).unwrap();
        assert_eq!(check(&sample(), &path).unwrap(), Check::UpToDate);
        let mut changed = sample();
        changed.endpoints[1].status = Status::Covered;
        changed.endpoints[1].covered_by = changed.endpoints[0].covered_by.clone();
        changed.recount();
        match check(&changed, &path).unwrap() {
            Check::Differs(d) => {
                assert!(
                    d.contains("-| GET | `/b` | **missing** | no load test |"),
                    "{d}"
                );
                assert!(d.contains("+| GET | `/b` | covered |"), "{d}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn diff_is_bounded_with_context() {
        let old = "a\nb\nc\nd\ne\n";
        let new = "a\nb\nC\nd\ne\n";
        assert_eq!(
            diff(old, new, "f"),
            "--- f (on disk)\n+++ f (regenerated)\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e\n"
        );
        let long: String = (0..50).map(|i| format!("{i}\n")).collect();
        let d = diff(&long, "", "f");
        assert!(d.ends_with("-19\n... 30 more changed lines\n"), "{d}");
        let d = diff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nB\nc\nd\ne\nf\ng\nH\n", "f");
        assert_eq!(
            d,
            "--- f (on disk)\n+++ f (regenerated)\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n d\n@@ -6,3 +6,3 @@\n f\n g\n-h\n+H\n"
        );
        assert_eq!(
            diff("x\na\nb\n", "a\nb\ny\n", "f"),
            "--- f (on disk)\n+++ f (regenerated)\n@@ -1,3 +1,3 @@\n-x\n a\n b\n+y\n"
        );
        assert_eq!(
            diff("a\n", "a\nb\n", "f"),
            "--- f (on disk)\n+++ f (regenerated)\n@@ -1,1 +1,2 @@\n a\n+b\n"
        );
    }

    proptest::proptest! {
        #[test]
        fn edit_scripts_rebuild_both_sides(
            a in proptest::collection::vec("[abc]", 0..40),
            b in proptest::collection::vec("[abc]", 0..40),
        ) {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            let ops = edit_script(&a, &b);
            let old: Vec<usize> = ops.iter().filter(|o| o.kind != Kind::Insert).map(|o| o.a).collect();
            let new: Vec<usize> = ops.iter().filter(|o| o.kind != Kind::Delete).map(|o| o.b).collect();
            proptest::prop_assert_eq!(old, (0..a.len()).collect::<Vec<_>>());
            proptest::prop_assert_eq!(new, (0..b.len()).collect::<Vec<_>>());
            for op in ops.iter().filter(|o| o.kind == Kind::Equal) {
                proptest::prop_assert_eq!(a[op.a], b[op.b]);
            }
        }
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        // A non-empty directory in the way: the temporary file is written,
        // then the rename over the directory fails.
        let target = tmp.path().join("cov.md");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep.txt"), "old").unwrap();
        let err = write_atomic(&target, b"new").unwrap_err();
        assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
        assert_eq!(fs::read_to_string(target.join("keep.txt")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "temporary file removed"
        );
    }

    #[test]
    fn a_write_that_fails_leaves_the_old_file() {
        let tmp = tempfile::tempdir().unwrap();
        // The parent is a regular file: no directory can be made there, even as root.
        let blocker = tmp.path().join("todo");
        fs::write(&blocker, "not a directory").unwrap();
        let err = write_atomic(&blocker.join("cov.md"), b"x").unwrap_err();
        assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
        assert_eq!(fs::read_to_string(&blocker).unwrap(), "not a directory");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_document_stays_a_symlink_and_keeps_its_mode() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("shared");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("coverage.md"), "old").unwrap();
        fs::set_permissions(real.join("coverage.md"), fs::Permissions::from_mode(0o640)).unwrap();
        let todo = tmp.path().join("todo");
        fs::create_dir(&todo).unwrap();
        let link = todo.join("locust-coverage.md");
        symlink("../shared/coverage.md", &link).unwrap();

        write_atomic(&link, b"new").unwrap();

        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(real.join("coverage.md")).unwrap(), "new");
        let mode = fs::metadata(real.join("coverage.md"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        // No temporary file left beside either.
        assert_eq!(fs::read_dir(&real).unwrap().count(), 1);
        assert_eq!(fs::read_dir(&todo).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error_that_leaves_it_alone() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.md");
        let b = tmp.path().join("b.md");
        symlink("b.md", &a).unwrap();
        symlink("a.md", &b).unwrap();
        let err = write_atomic(&a, b"x").unwrap_err();
        assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
        assert!(fs::symlink_metadata(&a).unwrap().file_type().is_symlink());
    }
}
