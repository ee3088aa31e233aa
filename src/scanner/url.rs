//! From an evaluated URL template to the path a request hits: the scheme
//! and host (`http://h:8080`, `{host}`, `{BASE_URL}`) are stripped, the
//! query string and fragment are split off.

use super::value::{Alt, Piece};

/// The path template and the query (without `?`, fragment kept), or why
/// the URL cannot be read as a path.
pub type Finished = Result<(String, Option<String>), String>;

/// Placeholder names that stand for a scheme and host when they open a URL.
const BASE_WORDS: &[&str] = &[
    "host", "base", "url", "uri", "server", "origin", "domain", "endpoint", "gateway", "root",
    "address", "addr", "api",
];

fn is_base_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    BASE_WORDS.iter().any(|w| lower.contains(w))
}

/// Finishes one alternative of a URL.
pub fn finish(alt: &Alt) -> Finished {
    let pieces = strip_base(&alt.pieces)?;
    let mut path = String::new();
    let mut query: Option<String> = None;
    for piece in pieces {
        let target = match &mut query {
            Some(q) => q,
            None => &mut path,
        };
        match piece {
            Piece::Ph(n) => {
                target.push('{');
                target.push_str(&n);
                target.push('}');
            }
            Piece::Hole(_) => target.push_str("{value}"),
            Piece::Lit(text) => {
                if query.is_some() {
                    if let Some(q) = &mut query {
                        q.push_str(&text);
                    }
                    continue;
                }
                match text.find(['?', '#']) {
                    Some(i) => {
                        path.push_str(text.get(..i).unwrap_or(""));
                        let rest = text.get(i..).unwrap_or("");
                        let rest = rest.strip_prefix('?').unwrap_or(rest);
                        query = Some(rest.to_string());
                    }
                    None => path.push_str(&text),
                }
            }
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    Ok((path, query))
}

/// The pieces after the scheme and host, if the URL has them.
fn strip_base(pieces: &[Piece]) -> Result<Vec<Piece>, String> {
    let mut out: Vec<Piece> = pieces.to_vec();
    match out.first().cloned() {
        Some(Piece::Lit(first)) => {
            let lower = first.to_ascii_lowercase();
            let after_scheme = ["http://", "https://", "ws://", "wss://"]
                .iter()
                .find(|s| lower.starts_with(*s))
                .map(|s| s.len())
                .or_else(|| first.starts_with("//").then_some(2));
            if let Some(skip) = after_scheme {
                if let Some(Piece::Lit(t)) = out.first_mut() {
                    *t = t.get(skip..).unwrap_or("").to_string();
                }
                return Ok(drop_authority(out));
            }
            Ok(out)
        }
        Some(Piece::Ph(name)) => {
            let next_is_path = match out.get(1) {
                None => false,
                Some(Piece::Lit(t)) => t.starts_with(['/', '?', '#', ':']),
                Some(Piece::Ph(_) | Piece::Hole(_)) => true,
            };
            if is_base_name(&name) && next_is_path {
                out.remove(0);
                if let Some(Piece::Lit(t)) = out.first() {
                    if t.starts_with(':') {
                        return Ok(drop_authority(out));
                    }
                }
                return Ok(out);
            }
            if out.len() == 1 {
                return Err(format!("the URL is `{{{name}}}`, known only at run time"));
            }
            Err(format!(
                "the URL starts with `{{{name}}}`, known only at run time"
            ))
        }
        Some(Piece::Hole(reason)) => Err(reason.to_string()),
        None => Ok(out),
    }
}

/// Drops everything up to the first `/` (the host, port and any
/// placeholder in them).
fn drop_authority(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut in_path = false;
    for piece in pieces {
        if in_path {
            out.push(piece);
            continue;
        }
        if let Piece::Lit(t) = &piece {
            if let Some(i) = t.find(['/', '?', '#']) {
                in_path = true;
                out.push(Piece::Lit(t.get(i..).unwrap_or("").to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(pieces: &[&str]) -> Alt {
        let mut a = Alt::default();
        for p in pieces {
            match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => a.push(Piece::Ph(name.to_string())),
                None => a.push(Piece::Lit(p.to_string())),
            }
        }
        a
    }

    fn ok(pieces: &[&str]) -> (String, Option<String>) {
        finish(&alt(pieces)).expect("finishes")
    }

    #[test]
    fn plain_paths_stay() {
        assert_eq!(ok(&["/tools"]), ("/tools".into(), None));
        assert_eq!(ok(&["/tools/", "{tid}"]), ("/tools/{tid}".into(), None));
        assert_eq!(ok(&[""]), ("/".into(), None));
    }

    #[test]
    fn query_and_fragment_split_off() {
        assert_eq!(
            ok(&["/tools/search?q=test"]),
            ("/tools/search".into(), Some("q=test".into()))
        );
        assert_eq!(
            ok(&["/cb?code=", "{c}", "&state=", "{s}"]),
            ("/cb".into(), Some("code={c}&state={s}".into()))
        );
        assert_eq!(ok(&["/a#top"]), ("/a".into(), Some("#top".into())));
    }

    #[test]
    fn bases_are_stripped() {
        assert_eq!(ok(&["http://localhost:8080/x"]), ("/x".into(), None));
        assert_eq!(
            ok(&["https://", "{h}", ":", "{port}", "/x"]),
            ("/x".into(), None)
        );
        assert_eq!(ok(&["{host}", "/tools"]), ("/tools".into(), None));
        assert_eq!(ok(&["{BASE_URL}", "{path}"]), ("{path}".into(), None));
        assert_eq!(ok(&["{host}", ":8080/x"]), ("/x".into(), None));
        assert_eq!(ok(&["http://example.com"]), ("/".into(), None));
    }

    #[test]
    fn unknown_prefixes_are_not_guessed() {
        assert!(finish(&alt(&["{prefix}", "/tools"])).is_err());
        assert!(finish(&alt(&["{thing}"])).is_err());
    }
}
