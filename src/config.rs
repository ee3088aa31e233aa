//! Configuration: finds `cov.toml` (or `[tool.cov]` in `pyproject.toml`) in
//! the working directory or above, reads it strictly, and merges it under
//! the command line into resolved [`Settings`].
//!
//! Rules:
//! - `--config PATH` names the file; otherwise the nearest directory from
//!   the working directory upwards that has a `cov.toml`, or a
//!   `pyproject.toml` with a `[tool.cov]` table, wins (`cov.toml` first in
//!   the same directory). The search stops at the repository root (a
//!   directory holding `.git`) or the filesystem root.
//! - Every `cov audit` option except `--format`, `--verbose`, `--write`,
//!   `--check` and `--update-baseline` (which say what one run does) has a
//!   key; the command line wins.
//! - Paths are relative to the config file's directory.
//! - Header values come from environment variables only (`${NAME}`).
//! - Unknown keys and wrong types are errors naming the key and the file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::cli::{AuditArgs, LocustArgs, RouterArgs, SpecArgs};
use crate::run::Context;
use crate::skip::SkipRule;

/// Default path of the tracking document.
pub const DEFAULT_OUTPUT: &str = "todo/locust-coverage.md";

/// The keys of a config file. `deny_unknown_fields` turns a typo into an
/// error instead of a silently ignored setting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub spec: Option<String>,
    /// Header name -> value with `${ENV}` references.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header name -> name of the environment variable holding the value.
    #[serde(default)]
    pub header_env: BTreeMap<String, String>,
    pub timeout: Option<f64>,
    pub cacert: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub locustfiles: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub routers: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub aliases: Vec<String>,
    pub strict_slashes: Option<bool>,
    pub fail_under: Option<f64>,
    pub output: Option<String>,
    pub baseline: Option<String>,
    pub strict: Option<bool>,
    pub stats: Option<String>,
    pub max_failure_rate: Option<f64>,
    pub fail_on_failures: Option<bool>,
    /// Route templates whose `{name:path}` parameters take one or more
    /// segments, as the service declares them (`/files/{path:path}`), for
    /// when the router reader cannot tell.
    #[serde(default, deserialize_with = "one_or_many")]
    pub catch_all_routes: Vec<String>,
    #[serde(default)]
    pub skip: Vec<toml::Spanned<SkipDef>>,
}

/// One `[[skip]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipDef {
    pub method: String,
    pub path: String,
    pub reason: String,
    pub link: Option<String>,
    /// A string `"2027-03-31"` or a TOML date `2027-03-31`.
    pub until: Option<toml::Value>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tools>,
}

#[derive(Deserialize)]
struct Tools {
    cov: Option<FileConfig>,
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct OneOrMany;
    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(OneOrMany)
}

/// A config file read and validated.
#[derive(Debug)]
pub struct Loaded {
    /// The file as the user sees it (relative to the working directory when found).
    pub path: PathBuf,
    /// Directory that relative paths in the file are relative to.
    pub base: PathBuf,
    pub config: FileConfig,
    pub skips: Vec<SkipRule>,
}

impl Loaded {
    /// A path from the file, made relative to the working directory.
    fn path_of(&self, value: &str) -> PathBuf {
        let p = Path::new(value);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }

    /// A path or a URL from the file.
    fn source_of(&self, value: &str) -> String {
        if is_url(value) {
            value.to_string()
        } else {
            self.path_of(value).to_string_lossy().into_owned()
        }
    }

    fn display(&self) -> String {
        self.path.display().to_string()
    }
}

fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Finds the config file for a working directory: `(path relative to cwd, base dir)`.
pub fn find(cwd: &Path) -> anyhow::Result<Option<(PathBuf, PathBuf)>> {
    let mut dir = cwd.to_path_buf();
    let mut base = PathBuf::new();
    loop {
        let cov = dir.join("cov.toml");
        if cov.is_file() {
            return Ok(Some((base.join("cov.toml"), base)));
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            let shown = base.join("pyproject.toml");
            let text = read(&pyproject, &shown)?;
            if has_tool_cov(&text) {
                return Ok(Some((shown, base)));
            }
        }
        if dir.join(".git").exists() {
            return Ok(None);
        }
        match dir.parent() {
            Some(parent) => {
                dir = parent.to_path_buf();
                base.push("..");
            }
            None => return Ok(None),
        }
    }
}

/// Whether a `pyproject.toml` configures cov. One that does not parse but
/// mentions `tool.cov` counts, so that its error is reported, not skipped.
fn has_tool_cov(text: &str) -> bool {
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => table.get("tool").and_then(|t| t.get("cov")).is_some(),
        Err(_) => text.contains("tool.cov"),
    }
}

fn read(path: &Path, shown: &Path) -> anyhow::Result<String> {
    // A FIFO, socket or device would block or never end: refuse it before
    // opening it.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            bail!(
                "cannot read config file {}: it is not a regular file",
                shown.display()
            );
        }
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", shown.display()))
}

/// Loads the config file: the one named by `--config`, else the one found
/// from the working directory. `None` when there is none.
pub fn load(explicit: Option<&Path>) -> anyhow::Result<Option<Loaded>> {
    let (path, base, cwd_path) = match explicit {
        Some(path) => {
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (path.to_path_buf(), base, path.to_path_buf())
        }
        None => {
            let cwd = std::env::current_dir().context("cannot read the working directory")?;
            match find(&cwd)? {
                Some((shown, base)) => (shown.clone(), base, cwd.join(shown)),
                None => return Ok(None),
            }
        }
    };
    let text = read(&cwd_path, &path)?;
    parse(&text, &path, base).map(Some)
}

/// Parses a config file's text; `path` says which format (`pyproject.toml`
/// or any other name for `cov.toml`'s) and names the file in errors.
pub fn parse(text: &str, path: &Path, base: PathBuf) -> anyhow::Result<Loaded> {
    let shown = path.display().to_string();
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let config = if is_pyproject {
        let doc: Pyproject = toml::from_str(text).map_err(|e| toml_error(&shown, text, &e))?;
        match doc.tool.and_then(|t| t.cov) {
            Some(config) => config,
            None => bail!("{shown} has no [tool.cov] table: add one, or name a cov.toml"),
        }
    } else {
        toml::from_str(text).map_err(|e| toml_error(&shown, text, &e))?
    };
    let table = if is_pyproject {
        "tool.cov.skip"
    } else {
        "skip"
    };
    let mut skips = Vec::new();
    for def in &config.skip {
        let line = line_of(text, def.span().start);
        let def = def.get_ref();
        let until = match &def.until {
            None => None,
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Datetime(d)) if d.time.is_none() && d.offset.is_none() => {
                Some(d.to_string())
            }
            Some(other) => bail!(
                "{shown}:{line}: [[{table}]] `until` must be a date \"YYYY-MM-DD\", not {}",
                other.type_str()
            ),
        };
        let rule = SkipRule::new(
            &def.method,
            &def.path,
            &def.reason,
            def.link.clone(),
            until.as_deref(),
            shown.clone(),
            line,
        )
        .map_err(|e| anyhow::anyhow!("{shown}:{line}: [[{table}]] {e}"))?;
        skips.push(rule);
    }
    check_ranges(&config, &shown)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        base,
        config,
        skips,
    })
}

fn check_ranges(c: &FileConfig, shown: &str) -> anyhow::Result<()> {
    if let Some(t) = c.timeout {
        if !(t > 0.0 && t.is_finite()) {
            bail!("{shown}: `timeout = {t}` must be a positive number of seconds");
        }
    }
    if let Some(p) = c.fail_under {
        if !(0.0..=100.0).contains(&p) {
            bail!("{shown}: `fail_under = {p}` must be a percentage from 0 to 100");
        }
    }
    if let Some(r) = c.max_failure_rate {
        if !(0.0..=1.0).contains(&r) {
            bail!("{shown}: `max_failure_rate = {r}` must be a rate from 0 to 1");
        }
    }
    for (name, var) in &c.header_env {
        if !is_env_name(var) {
            bail!("{shown}: `header_env.{name} = {var:?}` must name an environment variable");
        }
    }
    Ok(())
}

/// One line `file:line: message (at `source line`)`, so the key is named
/// even when the parser's message only names a type.
fn toml_error(shown: &str, text: &str, err: &toml::de::Error) -> anyhow::Error {
    let message = err.message().trim();
    match err.span() {
        Some(span) => {
            let line = line_of(text, span.start);
            let source = text
                .lines()
                .nth(line.saturating_sub(1) as usize)
                .unwrap_or("")
                .trim();
            if source.is_empty() {
                anyhow::anyhow!("invalid config file {shown}:{line}: {message}")
            } else {
                anyhow::anyhow!("invalid config file {shown}:{line}: {message} (at `{source}`)")
            }
        }
        None => anyhow::anyhow!("invalid config file {shown}: {message}"),
    }
}

fn line_of(text: &str, offset: usize) -> u32 {
    let upto = text.get(..offset).unwrap_or(text);
    u32::try_from(upto.bytes().filter(|&b| b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Expands `${NAME}` references of a header value from the environment.
/// A value without any reference is refused: secrets do not belong in a
/// file under version control. Errors never show the value.
pub fn expand_header(
    name: &str,
    value: &str,
    shown: &str,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rest = value;
    let mut references = 0;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else {
            bail!("{shown}: header `{name}` has `${{` without `}}`: write `${{ENV_VAR}}`");
        };
        let var = after.get(..end).unwrap_or("");
        if !is_env_name(var) {
            bail!("{shown}: header `{name}`: `${{{var}}}` is not an environment variable name");
        }
        match env(var) {
            Some(v) if !v.is_empty() => out.push_str(&v),
            _ => bail!(
                "{shown}: header `{name}` needs the environment variable {var}, which is not set \
                 (or empty): export it before running cov"
            ),
        }
        references += 1;
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    if references == 0 {
        bail!(
            "{shown}: header `{name}` has a literal value; header values come from environment \
             variables only: write it as `{name} = \"Bearer ${{TOKEN}}\"` and export TOKEN"
        );
    }
    Ok(out)
}

fn header_name(header: &str, sep: char) -> String {
    header
        .split(sep)
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Everything `cov audit` runs with: the command line over the config file
/// over the defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file used, as shown to the user.
    pub config_file: Option<String>,
    /// The config file's directory, relative to the working directory: the
    /// tracking document names files relative to it.
    pub root: Option<PathBuf>,
    /// Every option resolved; `args.output` is always `Some`.
    pub args: AuditArgs,
    /// Skip rules, in file order.
    pub skips: Vec<SkipRule>,
    /// `catch_all_routes` from the config (no command-line option).
    pub catch_all_routes: Vec<String>,
}

impl Settings {
    /// The tracking document's path.
    pub fn output(&self) -> PathBuf {
        self.args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTPUT))
    }
}

/// Resolves `cov audit`'s settings.
pub fn audit_settings(cli: &AuditArgs, ctx: &Context) -> anyhow::Result<Settings> {
    let loaded = load(ctx.config.as_deref())?;
    resolve_audit(cli, loaded.as_ref(), |k| std::env::var(k).ok())
}

/// The spec options of `cov endpoints` and `cov routes`, config included.
pub fn spec_settings(cli: &SpecArgs, ctx: &Context) -> anyhow::Result<SpecArgs> {
    let loaded = load(ctx.config.as_deref())?;
    merge_spec(cli, loaded.as_ref(), &|k: &str| std::env::var(k).ok())
}

/// The locustfiles of `cov calls`, config included.
pub fn locust_settings(cli: &LocustArgs, ctx: &Context) -> anyhow::Result<LocustArgs> {
    if !cli.locustfiles.is_empty() {
        return Ok(cli.clone());
    }
    Ok(merge_locust(cli, load(ctx.config.as_deref())?.as_ref()))
}

/// The router sources of `cov routes`, config included.
pub fn router_settings(cli: &RouterArgs, ctx: &Context) -> anyhow::Result<RouterArgs> {
    if !cli.routers.is_empty() {
        return Ok(cli.clone());
    }
    Ok(merge_routers(cli, load(ctx.config.as_deref())?.as_ref()))
}

/// Merges a loaded config under the command line.
pub fn resolve_audit(
    cli: &AuditArgs,
    loaded: Option<&Loaded>,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Settings> {
    let mut args = cli.clone();
    args.spec = merge_spec(&cli.spec, loaded, &env)?;
    args.locust = merge_locust(&cli.locust, loaded);
    args.routers = merge_routers(&cli.routers, loaded);
    let mut skips = Vec::new();
    let mut catch_all_routes = Vec::new();
    if let Some(l) = loaded {
        catch_all_routes = l.config.catch_all_routes.clone();
        let c = &l.config;
        if args.matching.aliases.is_empty() {
            args.matching.aliases = c.aliases.clone();
        }
        args.matching.strict_slashes |= c.strict_slashes.unwrap_or(false);
        args.fail_under = args.fail_under.or(c.fail_under);
        if args.output.is_none() {
            args.output = c.output.as_deref().map(|p| l.path_of(p));
        }
        if args.baseline.is_none() {
            args.baseline = c.baseline.as_deref().map(|p| l.path_of(p));
        }
        args.strict |= c.strict.unwrap_or(false);
        if args.stats.is_none() {
            args.stats = c.stats.as_deref().map(|s| l.source_of(s));
        }
        args.max_failure_rate = args.max_failure_rate.or(c.max_failure_rate);
        args.fail_on_failures |= c.fail_on_failures.unwrap_or(false);
        skips = l.skips.clone();
    }
    args.matching.aliases = normalize_aliases(&args.matching.aliases)?;
    if args.output.is_none() {
        // Next to the config file, wherever cov runs from.
        args.output = Some(match loaded {
            Some(l) => l.path_of(DEFAULT_OUTPUT),
            None => PathBuf::from(DEFAULT_OUTPUT),
        });
    }
    Ok(Settings {
        config_file: loaded.map(Loaded::display),
        root: loaded.map(|l| l.base.clone()),
        args,
        skips,
        catch_all_routes,
    })
}

/// Aliases as path prefixes: `v1` and `/v1/` both become `/v1`. An empty
/// alias, or one with a parameter or a query, is an error.
pub fn normalize_aliases(aliases: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for alias in aliases {
        let trimmed = alias.trim().trim_matches('/');
        if trimmed.is_empty() || trimmed.contains(['{', '}', '?', '#']) {
            bail!(
                "invalid alias `{alias}`: give a literal path prefix such as `/v1` \
                 (no parameter, no query)"
            );
        }
        out.push(format!("/{trimmed}"));
    }
    Ok(out)
}

/// The spec options of any subcommand, config under command line. Config
/// headers are expanded only when the spec is fetched over http(s).
pub fn merge_spec(
    cli: &SpecArgs,
    loaded: Option<&Loaded>,
    env: &impl Fn(&str) -> Option<String>,
) -> anyhow::Result<SpecArgs> {
    let mut spec = cli.clone();
    let Some(l) = loaded else {
        return Ok(spec);
    };
    let c = &l.config;
    if spec.spec.is_none() {
        spec.spec = c.spec.as_deref().map(|s| l.source_of(s));
    }
    if spec.timeout.is_none() {
        spec.timeout = c.timeout;
    }
    if spec.cacert.is_none() {
        spec.cacert = c.cacert.as_deref().map(|p| l.path_of(p));
    }
    let taken: Vec<String> = cli
        .headers
        .iter()
        .map(|h| header_name(h, ':'))
        .chain(cli.header_env.iter().map(|h| header_name(h, '=')))
        .collect();
    let fetched = spec.spec.as_deref().is_some_and(is_url);
    let shown = l.display();
    for (name, value) in &c.headers {
        if taken.contains(&name.trim().to_ascii_lowercase()) {
            continue;
        }
        if fetched {
            let value = expand_header(name, value, &shown, env)?;
            spec.headers.push(format!("{name}: {value}"));
        } else {
            // Still refuse a literal secret in the file.
            if !value.contains("${") {
                expand_header(name, value, &shown, |_| None)?;
            }
        }
    }
    for (name, var) in &c.header_env {
        if fetched && !taken.contains(&name.trim().to_ascii_lowercase()) {
            spec.header_env.push(format!("{name}={var}"));
        }
    }
    Ok(spec)
}

/// The locustfiles, config under command line.
pub fn merge_locust(cli: &LocustArgs, loaded: Option<&Loaded>) -> LocustArgs {
    match loaded {
        Some(l) if cli.locustfiles.is_empty() => LocustArgs {
            locustfiles: l.config.locustfiles.iter().map(|p| l.path_of(p)).collect(),
        },
        _ => cli.clone(),
    }
}

/// The router sources, config under command line.
pub fn merge_routers(cli: &RouterArgs, loaded: Option<&Loaded>) -> RouterArgs {
    match loaded {
        Some(l) if cli.routers.is_empty() => RouterArgs {
            routers: l.config.routers.iter().map(|p| l.path_of(p)).collect(),
        },
        _ => cli.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn cov(text: &str) -> anyhow::Result<Loaded> {
        parse(text, Path::new("conf/cov.toml"), PathBuf::from("conf"))
    }

    fn audit_args(extra: &[&str]) -> AuditArgs {
        let cli = crate::cli::Cli::parse_from(["cov", "audit"].iter().chain(extra));
        match cli.command {
            crate::cli::Command::Audit(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn unknown_keys_are_named_with_file_and_line() {
        let err = cov("spec = \"a.json\"\nfail_undr = 80\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("conf/cov.toml:2"), "{err}");
        assert!(err.contains("fail_undr"), "{err}");
        let err = cov("[[skip]]\nmethod = \"GET\"\npath = \"/x\"\nreason = \"r\"\nreasn = \"r\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("reasn"), "{err}");
    }

    #[test]
    fn wrong_types_name_the_key() {
        let err = cov("strict = \"yes\"\n").unwrap_err().to_string();
        assert!(err.contains("conf/cov.toml:1"), "{err}");
        assert!(err.contains("strict = \"yes\""), "{err}");
        let err = cov("locustfiles = 3\n").unwrap_err().to_string();
        assert!(err.contains("locustfiles"), "{err}");
    }

    #[test]
    fn skip_rules_need_a_reason_and_keep_their_line() {
        let err = cov("[[skip]]\nmethod = \"GET\"\npath = \"/x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("reason"), "{err}");
        let l = cov("spec = \"a.json\"\n\n[[skip]]\nmethod = \"GET\"\npath = \"/x\"\nreason = \"r\"\nuntil = 2027-03-31\n")
            .unwrap();
        assert_eq!(l.skips.len(), 1);
        assert_eq!(l.skips[0].line, 3);
        assert_eq!(
            l.skips[0].until.map(|d| d.to_string()).as_deref(),
            Some("2027-03-31")
        );
        let err = cov("[[skip]]\nmethod = \"GET\"\npath = \"/x\"\nreason = \"r\"\nuntil = 5\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("conf/cov.toml:1") && err.contains("until"),
            "{err}"
        );
    }

    #[test]
    fn ranges_are_checked() {
        assert!(cov("fail_under = 120\n")
            .unwrap_err()
            .to_string()
            .contains("fail_under"));
        assert!(cov("max_failure_rate = 2\n")
            .unwrap_err()
            .to_string()
            .contains("max_failure_rate"));
        assert!(cov("timeout = 0\n")
            .unwrap_err()
            .to_string()
            .contains("timeout"));
    }

    #[test]
    fn pyproject_reads_tool_cov_only() {
        let text = "[project]\nname = \"svc\"\n\n[tool.ruff]\nline-length = 100\n\n[tool.cov]\nspec = \"openapi.json\"\n\n[[tool.cov.skip]]\nmethod = \"*\"\npath = \"/health\"\nreason = \"probe\"\n";
        let l = parse(text, Path::new("pyproject.toml"), PathBuf::new()).unwrap();
        assert_eq!(l.config.spec.as_deref(), Some("openapi.json"));
        assert_eq!(l.skips[0].line, 10);
        let err = parse(
            "[project]\nname = \"x\"\n",
            Path::new("pyproject.toml"),
            PathBuf::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("[tool.cov]"), "{err}");
        let err = parse(
            "[tool.cov]\nspek = 1\n",
            Path::new("pyproject.toml"),
            PathBuf::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("pyproject.toml:2") && err.contains("spek"),
            "{err}"
        );
    }

    #[test]
    fn header_values_come_from_the_environment_only() {
        let env = |k: &str| (k == "TOKEN").then(|| "s3cret".to_string());
        assert_eq!(
            expand_header("Authorization", "Bearer ${TOKEN}", "cov.toml", env).unwrap(),
            "Bearer s3cret"
        );
        let err = expand_header("Authorization", "Bearer abc", "cov.toml", env).unwrap_err();
        assert!(err.to_string().contains("literal value"));
        assert!(!err.to_string().contains("abc"));
        let err = expand_header("X", "${MISSING}", "cov.toml", env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("MISSING"), "{err}");
        assert!(expand_header("X", "${TOKEN", "cov.toml", env).is_err());
        assert!(expand_header("X", "${1A}", "cov.toml", env).is_err());
    }

    #[test]
    fn command_line_wins_and_paths_follow_the_config_file() {
        let l = cov(concat!(
            "spec = \"https://api.example.org/openapi.json\"\n",
            "locustfiles = \"load\"\n",
            "routers = [\"app\", \"/abs/app\"]\n",
            "aliases = [\"/v1\"]\n",
            "fail_under = 80\n",
            "output = \"docs/cov.md\"\n",
            "strict = true\n",
            "[headers]\nAuthorization = \"Bearer ${TOKEN}\"\nX-Trace = \"${TRACE}\"\n",
        ))
        .unwrap();
        let env = |k: &str| match k {
            "TOKEN" => Some("t".to_string()),
            "TRACE" => Some("1".to_string()),
            _ => None,
        };
        let s = resolve_audit(
            &audit_args(&["--fail-under", "50", "-H", "x-trace: 2"]),
            Some(&l),
            env,
        )
        .unwrap();
        assert_eq!(
            s.args.spec.spec.as_deref(),
            Some("https://api.example.org/openapi.json")
        );
        assert_eq!(
            s.args.spec.headers,
            ["x-trace: 2", "Authorization: Bearer t"]
        );
        assert_eq!(s.args.locust.locustfiles, [PathBuf::from("conf/load")]);
        assert_eq!(
            s.args.routers.routers,
            [PathBuf::from("conf/app"), PathBuf::from("/abs/app")]
        );
        assert_eq!(s.args.matching.aliases, ["/v1"]);
        assert_eq!(s.args.fail_under, Some(50.0));
        assert_eq!(s.output(), PathBuf::from("conf/docs/cov.md"));
        assert!(s.args.strict);
        assert_eq!(s.config_file.as_deref(), Some("conf/cov.toml"));

        let s = resolve_audit(
            &audit_args(&["--spec", "local.json", "-l", "x.py"]),
            Some(&l),
            |_| None,
        )
        .unwrap();
        assert_eq!(s.args.spec.spec.as_deref(), Some("local.json"));
        assert!(s.args.spec.headers.is_empty(), "no fetch, no header");
        assert_eq!(s.args.locust.locustfiles, [PathBuf::from("x.py")]);
    }

    #[test]
    fn defaults_without_a_config() {
        let s = resolve_audit(&audit_args(&[]), None, |_| None).unwrap();
        assert_eq!(s.output(), PathBuf::from(DEFAULT_OUTPUT));
        assert!(s.skips.is_empty());
        assert!(s.config_file.is_none());
    }

    #[test]
    fn finds_the_nearest_config_and_stops_at_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.join("repo/a/b")).unwrap();
        std::fs::write(root.join("cov.toml"), "").unwrap();
        assert!(
            find(&root.join("repo/a/b")).unwrap().is_none(),
            "stops at .git"
        );
        std::fs::write(root.join("repo/pyproject.toml"), "[tool.cov]\n").unwrap();
        let (path, base) = find(&root.join("repo/a/b")).unwrap().unwrap();
        assert_eq!(path, Path::new("../../pyproject.toml"));
        assert_eq!(base, Path::new("../.."));
        std::fs::write(root.join("repo/a/pyproject.toml"), "[project]\nname='x'\n").unwrap();
        let (path, _) = find(&root.join("repo/a/b")).unwrap().unwrap();
        assert_eq!(
            path,
            Path::new("../../pyproject.toml"),
            "pyproject without [tool.cov] is skipped"
        );
        std::fs::write(root.join("repo/cov.toml"), "").unwrap();
        let (path, _) = find(&root.join("repo/a/b")).unwrap().unwrap();
        assert_eq!(
            path,
            Path::new("../../cov.toml"),
            "cov.toml wins over pyproject.toml"
        );
        let (path, base) = find(&root.join("repo")).unwrap().unwrap();
        assert_eq!(
            (path.as_path(), base.as_path()),
            (Path::new("cov.toml"), Path::new(""))
        );
    }

    #[test]
    fn aliases_are_normalised_and_bad_ones_refused() {
        let given: Vec<String> = ["v1", "/v2/", " api/v3 "].map(String::from).into();
        assert_eq!(
            normalize_aliases(&given).unwrap(),
            ["/v1", "/v2", "/api/v3"]
        );
        for bad in ["", "/", "/v{n}", "/v1?x=1"] {
            let err = normalize_aliases(&[bad.to_string()]).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with(&format!("invalid alias `{bad}`")),
                "{err}"
            );
        }
    }
}
