//! `name=` labels against URLs: Locust reports a request under its label,
//! so a label naming another path makes the statistics lie.
//!
//! Only the part of the label before the first space is compared (that
//! drops ` [create]` tags and the method of `/rpc tools/list`), only labels
//! that look like paths are compared, and a placeholder in the label
//! (`[id]`, `{id}`, `<id>`, `:id`) stands for any text in its segment.

/// Whether the label `label` agrees with the path template `url`. Labels
/// that do not look like a path agree with anything.
pub fn agrees(label: &str, url: &str) -> bool {
    let label = label.split(' ').next().unwrap_or("");
    let label = label.split(['?', '#']).next().unwrap_or("");
    if !label.starts_with('/') {
        return true;
    }
    let label = label.trim_end_matches('/');
    let url = url.trim_end_matches('/');
    if label == url {
        return true;
    }
    let label_segments: Vec<&str> = label.split('/').collect();
    let url_segments: Vec<&str> = url.split('/').collect();
    if label_segments.len() == url_segments.len()
        && label_segments
            .iter()
            .zip(&url_segments)
            .all(|(l, u)| segment_agrees(l, u))
    {
        return true;
    }
    if !label_segments.iter().any(|s| is_whole_placeholder(s)) {
        return false;
    }
    segments_agree(&label_segments, &url_segments)
}

/// Segment by segment; a label segment that is only a placeholder may
/// stand for several URL segments (a `{uri:path}` parameter).
fn segments_agree(label: &[&str], url: &[&str]) -> bool {
    let (n, m) = (label.len(), url.len());
    // table[i][j]: label[i..] agrees with url[j..].
    let mut table = vec![vec![false; m + 1]; n + 1];
    table[n][m] = true;
    for i in (0..n).rev() {
        let whole = is_whole_placeholder(label[i]);
        for j in (0..m).rev() {
            table[i][j] = if whole {
                (j + 1..=m).any(|k| table[i + 1][k])
            } else {
                segment_agrees(label[i], url[j]) && table[i + 1][j + 1]
            };
        }
    }
    table[0][0]
}

fn is_whole_placeholder(segment: &str) -> bool {
    let t = tokens(segment, true);
    t == [Tok::Hole]
}

/// A piece of a segment: literal character or placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    Hole,
}

fn tokens(segment: &str, label: bool) -> Vec<Tok> {
    if label && segment.starts_with(':') && segment.len() > 1 {
        return vec![Tok::Hole];
    }
    let mut out = Vec::new();
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        let close = match c {
            '{' => Some('}'),
            '[' if label => Some(']'),
            '<' if label => Some('>'),
            _ => None,
        };
        match close {
            Some(close) => {
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                }
                out.push(Tok::Hole);
            }
            None => out.push(Tok::Char(c)),
        }
    }
    out
}

/// A label segment agrees with a URL segment when its placeholders can
/// stand for non-empty runs of the URL segment and its literal text equals
/// the URL's. A placeholder of the URL must fall under one of the label.
fn segment_agrees(label: &str, url: &str) -> bool {
    if label == url {
        return true;
    }
    if !label.contains(['[', '{', '<', ':']) {
        return false;
    }
    let l = tokens(label, true);
    let u = tokens(url, false);
    matches(&l, &u)
}

fn matches(l: &[Tok], u: &[Tok]) -> bool {
    // Dynamic programming over (label position, url position): segments are
    // short, so the table is small.
    let (n, m) = (l.len(), u.len());
    let mut table = vec![vec![false; m + 1]; n + 1];
    if let Some(row) = table.get_mut(n) {
        if let Some(cell) = row.get_mut(m) {
            *cell = true;
        }
    }
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let value = match l.get(i) {
                Some(Tok::Hole) => (j + 1..=m).any(|k| table[i + 1][k]),
                Some(Tok::Char(c)) => u.get(j) == Some(&Tok::Char(*c)) && table[i + 1][j + 1],
                None => false,
            };
            table[i][j] = value;
        }
    }
    table[0][0]
}

#[cfg(test)]
mod tests {
    use super::agrees;

    #[test]
    fn table() {
        let cases = [
            ("/health", "/health", true),
            ("/servers [create]", "/servers", true),
            ("/tools/[id] [cleanup]", "/tools/{tid}", true),
            ("/servers/[id]/tools", "/servers/{server_id}/tools", true),
            (
                "/rbac/users/[email]/roles",
                "/rbac/users/admin@example.com/roles",
                true,
            ),
            ("/rpc tools/list", "/rpc", true),
            ("/tools/{id}", "/tools/{tool_id}", true),
            ("/files/[name].json", "/files/{name}.json", true),
            ("/tools/:id", "/tools/{x}", true),
            ("/tools/", "/tools", true),
            ("MCP initialize", "/mcp", true),
            ("/tools/abc", "/tools/{tool_id}", false),
            ("/tools", "/servers", false),
            ("/tools/[id]", "/tools", false),
            ("/tools/[id]/x", "/tools/{a}/y", false),
            (
                "/admin/resources/[uri]",
                "/admin/resources/test/test://sample",
                true,
            ),
            ("/a/[x]/b", "/a/b", false),
        ];
        for (label, url, want) in cases {
            assert_eq!(agrees(label, url), want, "label {label:?} url {url:?}");
        }
    }
}
