//! Path templates split into segments: the spec's side (static text,
//! parameters, in-segment patterns, catch-alls) and the call's side
//! (literal text with `{placeholder}` pieces), plus the comparison of one
//! pattern segment against one call segment.

/// One piece of an in-segment template: literal text or a parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Piece {
    Lit(Box<str>),
    /// A parameter: one or more characters, never `/`.
    Param,
}

/// One segment of a spec path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSeg<'a> {
    /// No parameter: must equal the call's segment.
    Static(&'a str),
    /// `{name}` filling the whole segment.
    Param,
    /// Literal text and parameters mixed (`{name}.json`, `report.{fmt}`).
    Pattern(Box<[Piece]>),
    /// A `:path` parameter: one or more whole segments.
    CatchAll,
}

/// How a call's segment is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallSeg {
    /// Plain text (may be empty, for `//`).
    Literal,
    /// A single `{placeholder}` and nothing else.
    Dynamic,
    /// Text and placeholders mixed (`item-{id}`).
    Partial,
}

/// Splits `path` on `/` outside `{...}`, skipping the leading slash. Returns
/// the segments and whether the path ends with a slash. The root (`/` or
/// the empty string) has no segments and no trailing slash.
pub fn split(path: &str) -> (impl Iterator<Item = &str>, bool) {
    let body = path.strip_prefix('/').unwrap_or(path);
    if body.is_empty() {
        return (SplitOutsideBraces { rest: None }, false);
    }
    let trailing = body.ends_with('/');
    let body = if trailing {
        &body[..body.len() - 1]
    } else {
        body
    };
    (SplitOutsideBraces { rest: Some(body) }, trailing)
}

struct SplitOutsideBraces<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for SplitOutsideBraces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let mut depth = 0usize;
        for (i, b) in rest.bytes().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b'/' if depth == 0 => {
                    self.rest = Some(&rest[i + 1..]);
                    return Some(&rest[..i]);
                }
                _ => {}
            }
        }
        self.rest = None;
        Some(rest)
    }
}

/// Bytes a call's path is scanned for: all others are plain text.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'/' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'?' as usize] = true;
    table[b'#' as usize] = true;
    table
};

/// `split(call_path(url))` in one pass over the bytes: calls `seg` with each
/// segment and whether it holds a `{` (else it is plain text), and returns
/// whether the path ends with a slash.
pub fn split_call<'a>(url: &'a str, mut seg: impl FnMut(&'a str, bool)) -> bool {
    let path = strip_scheme(url);
    let bytes = path.as_bytes();
    let body = usize::from(bytes.first() == Some(&b'/'));
    let (mut depth, mut start, mut open) = (0usize, body, false);
    let mut end = bytes.len();
    // Whether the byte before `end` is a slash outside placeholders (its
    // segment is out already).
    let mut cut_at_slash = false;
    let mut i = body;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if !SPECIAL[usize::from(b)] {
            cut_at_slash = false;
            continue;
        }
        match b {
            b'?' | b'#' if depth == 0 => {
                end = i - 1;
                break;
            }
            b'/' if depth == 0 => {
                seg(path.get(start..i - 1).unwrap_or_default(), open);
                (start, open, cut_at_slash) = (i, false, true);
                continue;
            }
            b'{' => {
                depth += 1;
                open = true;
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        cut_at_slash = false;
    }
    if end <= body {
        return false;
    }
    let trailing = bytes.get(end - 1) == Some(&b'/');
    if !(trailing && cut_at_slash) {
        let last = if trailing { end - 1 } else { end };
        seg(path.get(start..last).unwrap_or_default(), open);
    }
    trailing
}

/// Drops `scheme://host` from a URL.
fn strip_scheme(url: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if url.len() >= scheme.len()
            && url.is_char_boundary(scheme.len())
            && url[..scheme.len()].eq_ignore_ascii_case(scheme)
        {
            let after = &url[scheme.len()..];
            return match after.find('/') {
                Some(i) => &after[i..],
                None => "/",
            };
        }
    }
    url
}

/// Cuts a call's URL down to its path: drops `scheme://host`, the query
/// string and the fragment (outside placeholders).
pub fn call_path(url: &str) -> &str {
    let mut url = url;
    for scheme in ["http://", "https://"] {
        if url.len() >= scheme.len()
            && url.is_char_boundary(scheme.len())
            && url[..scheme.len()].eq_ignore_ascii_case(scheme)
        {
            let after = &url[scheme.len()..];
            url = match after.find('/') {
                Some(i) => &after[i..],
                None => "/",
            };
            break;
        }
    }
    let mut depth = 0usize;
    for (i, b) in url.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'?' | b'#' if depth == 0 => return &url[..i],
            _ => {}
        }
    }
    url
}

/// The `{...}` spans of `seg`, as byte ranges including the braces. A `{`
/// without its `}` is plain text.
fn placeholders(seg: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = seg.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            if bytes[pos] == b'{' {
                let start = pos;
                let mut depth = 0usize;
                let mut i = pos;
                while i < bytes.len() {
                    match bytes[i] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                pos = i + 1;
                                return Some((start, i + 1));
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                pos = bytes.len();
                return None;
            }
            pos += 1;
        }
        None
    })
}

/// Classifies one segment of a call.
pub fn classify_call(seg: &str) -> CallSeg {
    match placeholders(seg).next() {
        None => CallSeg::Literal,
        Some((0, end)) if end == seg.len() => CallSeg::Dynamic,
        Some(_) => CallSeg::Partial,
    }
}

/// Parses one spec segment. `is_catch_all` says whether a parameter name
/// (converter removed) takes whole segments.
pub fn parse_spec_seg<'a>(seg: &'a str, is_catch_all: &dyn Fn(&str) -> bool) -> SpecSeg<'a> {
    let Some(first) = placeholders(seg).next() else {
        return SpecSeg::Static(seg);
    };
    // A placeholder that starts the segment and ends it is the only one.
    if let (0, end) = first {
        if end == seg.len() {
            let inner = &seg[1..end - 1];
            let (name, converter) = match inner.split_once(':') {
                Some((n, c)) => (n.trim(), Some(c.trim())),
                None => (inner.trim(), None),
            };
            if converter == Some("path") || is_catch_all(name) {
                return SpecSeg::CatchAll;
            }
            return SpecSeg::Param;
        }
    }
    let mut pieces = Vec::new();
    let mut pos = 0;
    for (start, end) in placeholders(seg) {
        if start > pos {
            pieces.push(Piece::Lit(seg[pos..start].into()));
        }
        // Two parameters side by side (`{a}{b}`) are one parameter to a
        // matcher: it cannot tell where one ends.
        if pieces.last() != Some(&Piece::Param) {
            pieces.push(Piece::Param);
        }
        pos = end;
    }
    if pos < seg.len() {
        pieces.push(Piece::Lit(seg[pos..].into()));
    }
    SpecSeg::Pattern(pieces.into())
}

/// Number of literal bytes of a pattern: more literal text is more specific.
pub fn literal_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Lit(l) => l.len(),
            Piece::Param => 0,
        })
        .sum()
}

/// Does the in-segment template `pieces` accept the call segment `seg`?
///
/// The template's literal text must appear literally in the call; a
/// parameter takes one or more characters or whole placeholders of the
/// call. A placeholder of the call is opaque: only a parameter takes it.
pub fn pattern_matches(pieces: &[Piece], seg: &str) -> bool {
    // Short segments (nearly all) keep their marks on the stack.
    const STACK: usize = 64;
    let n = seg.len() + 1;
    let (mut a, mut b) = ([false; STACK], [false; STACK]);
    if let (Some(reach), Some(next)) = (a.get_mut(..n), b.get_mut(..n)) {
        return reach_end(pieces, seg, reach, next);
    }
    reach_end(pieces, seg, &mut vec![false; n], &mut vec![false; n])
}

/// `reach[p]`: the pieces so far can take the first `p` bytes of `seg`.
/// One pass per piece, no backtracking: linear in the segment per piece
/// however many parameters the template has. Both slices are
/// `seg.len() + 1` long and all `false`.
fn reach_end<'b>(
    pieces: &[Piece],
    seg: &str,
    mut reach: &'b mut [bool],
    mut next: &'b mut [bool],
) -> bool {
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for piece in pieces {
        next.fill(false);
        for p in 0..reach.len() {
            if !reach.get(p).copied().unwrap_or(false) {
                continue;
            }
            match piece {
                Piece::Lit(lit) => {
                    if seg.get(p..).is_some_and(|tail| tail.starts_with(&**lit)) {
                        if let Some(to) = next.get_mut(p + lit.len()) {
                            *to = true;
                        }
                    }
                }
                Piece::Param => {
                    // One or more units from `p`. Units chain the same way
                    // from any position, so a position already reached ends
                    // the walk: its chain is marked already.
                    let mut q = p;
                    loop {
                        q = next_unit(seg, q);
                        match next.get_mut(q) {
                            Some(to) if q != 0 && !*to => *to = true,
                            _ => break,
                        }
                        if q == seg.len() {
                            break;
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut reach, &mut next);
    }
    reach.last().copied().unwrap_or(false)
}

/// End of the unit (one character, or a whole placeholder) starting at
/// `pos`; `0` when `pos` is at the end.
fn next_unit(seg: &str, pos: usize) -> usize {
    let Some(tail) = seg.get(pos..) else {
        return 0;
    };
    let mut chars = tail.chars();
    match chars.next() {
        None => 0,
        Some('{') => match placeholders(tail).next() {
            Some((0, end)) => pos + end,
            _ => pos + 1,
        },
        Some(c) => pos + c.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_parameters_in_one_segment_match_in_polynomial_time() {
        // Backtracking over every split of the call segment between the
        // parameters took exponential time on these.
        let template = format!("{}!", "{p}-".repeat(20));
        let SpecSeg::Pattern(pieces) = parse_spec_seg(&template, &|_| false) else {
            panic!("{template} is a pattern");
        };
        assert!(!pattern_matches(&pieces, &"-".repeat(60)));
        assert!(pattern_matches(&pieces, &format!("{}!", "x-".repeat(20))));
        assert!(pattern_matches(&pieces, &format!("{}!", "-".repeat(60))));
    }

    fn segs(path: &str) -> (Vec<&str>, bool) {
        let (it, t) = split(path);
        (it.collect(), t)
    }

    #[test]
    fn splits_paths() {
        let cases: &[(&str, &[&str], bool)] = &[
            ("/", &[], false),
            ("", &[], false),
            ("/a", &["a"], false),
            ("/a/", &["a"], true),
            ("/a/b", &["a", "b"], false),
            ("/a//b", &["a", "", "b"], false),
            ("//", &[""], true),
            ("a/b", &["a", "b"], false),
            ("/x/{a/b}/c", &["x", "{a/b}", "c"], false),
            (
                "/test/test://sample",
                &["test", "test:", "", "sample"],
                false,
            ),
        ];
        for (path, want, trailing) in cases {
            assert_eq!(segs(path), (want.to_vec(), *trailing), "{path}");
        }
    }

    #[test]
    fn one_pass_split_agrees_with_cut_then_split() {
        let parts = [
            "", "/", "a", "{x}", "{", "}", "?", "#", "http://", "h", "é", "//",
        ];
        // Every string of up to four parts.
        let mut urls = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = urls
                .iter()
                .flat_map(|u| parts.iter().map(move |p| format!("{u}{p}")))
                .collect();
            urls.extend(longer);
        }
        for url in &urls {
            let mut got = Vec::new();
            let trailing = split_call(url, |s, open| got.push((s, open)));
            let (want, want_trailing) = segs(call_path(url));
            let want: Vec<(&str, bool)> = want.into_iter().map(|s| (s, s.contains('{'))).collect();
            assert_eq!((got, trailing), (want, want_trailing), "{url:?}");
        }
    }

    #[test]
    fn cuts_urls_to_paths() {
        let cases = [
            ("/a?q=1", "/a"),
            ("/a#top", "/a"),
            ("/a/{x}?q={y}", "/a/{x}"),
            ("/a/{d['?']}/b", "/a/{d['?']}/b"),
            ("http://localhost:8080/x/y?z", "/x/y"),
            ("HTTPS://host", "/"),
            ("/plain", "/plain"),
        ];
        for (url, want) in cases {
            assert_eq!(call_path(url), want, "{url}");
        }
    }

    #[test]
    fn classifies_call_segments() {
        assert_eq!(classify_call("tools"), CallSeg::Literal);
        assert_eq!(classify_call(""), CallSeg::Literal);
        assert_eq!(classify_call("{tid}"), CallSeg::Dynamic);
        assert_eq!(classify_call("item-{id}"), CallSeg::Partial);
        assert_eq!(classify_call("{a}-{b}"), CallSeg::Partial);
        assert_eq!(classify_call("{unclosed"), CallSeg::Literal);
    }

    #[test]
    fn parses_spec_segments() {
        let none = |_: &str| false;
        assert_eq!(parse_spec_seg("x", &none), SpecSeg::Static("x"));
        assert_eq!(parse_spec_seg("{id}", &none), SpecSeg::Param);
        assert_eq!(parse_spec_seg("{p:path}", &none), SpecSeg::CatchAll);
        assert_eq!(parse_spec_seg("{p}", &|n| n == "p"), SpecSeg::CatchAll);
        assert_eq!(parse_spec_seg("{id:int}", &none), SpecSeg::Param);
        assert_eq!(
            parse_spec_seg("{name}.json", &none),
            SpecSeg::Pattern([Piece::Param, Piece::Lit(".json".into())].into())
        );
        assert_eq!(
            parse_spec_seg("{a}{b}x", &none),
            SpecSeg::Pattern([Piece::Param, Piece::Lit("x".into())].into())
        );
        assert_eq!(parse_spec_seg("{bad", &none), SpecSeg::Static("{bad"));
    }

    #[test]
    fn matches_patterns() {
        let none = |_: &str| false;
        let pat = |s: &str| match parse_spec_seg(s, &none) {
            SpecSeg::Pattern(p) => p,
            other => panic!("{other:?}"),
        };
        let cases = [
            ("{name}.json", "a.json", true),
            ("{name}.json", ".json", false),
            ("{name}.json", "a.yaml", false),
            ("{name}.json", "{n}.json", true),
            ("{name}.json", "{n}", false),
            ("report.{fmt}", "report.csv", true),
            ("report.{fmt}", "report.{f}", true),
            ("report.{fmt}", "report.", false),
            ("{a}-{b}", "x-y", true),
            ("{a}-{b}", "x-y-z", true),
            ("{a}-{b}", "{x}-{y}", true),
            ("{a}-{b}", "xy", false),
            ("{a}-{b}", "{x-y}", false),
            ("item-{id}", "item-{i}", true),
            ("item-{id}", "items-{i}", false),
            ("item-{id}", "itex-{i}", false),
            ("v{n}.é", "v2.é", true),
        ];
        for (spec, call, want) in cases {
            assert_eq!(pattern_matches(&pat(spec), call), want, "{spec} vs {call}");
        }
    }
}
