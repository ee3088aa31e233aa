//! Path templates as the router reader compares them: parameters reduced to
//! their position (`{team_id}` and `{id}` are the same shape), converters
//! dropped (`{uri:path}` is `{uri}`), trailing slashes kept.

/// The shape of a template: every `{...}` becomes `{}`. `/teams/{id:path}/x`
/// has the shape `/teams/{}/x`. An unbalanced `{` is kept as text.
pub fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_shape(&mut out, path);
    out
}

/// Appends the [`shape`] of `path` to `out`, so that many shapes can share
/// one buffer. Returns whether a parameter names a converter
/// (`{uri:path}`, `{n:int}`).
pub fn push_shape(out: &mut String, path: &str) -> bool {
    let mut rest = path;
    let mut converter = false;
    while let Some((open, close)) = next_braces(rest) {
        out.push_str(&rest[..open]);
        out.push_str("{}");
        converter |= rest.as_bytes()[open..close].contains(&b':');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    converter
}

/// Byte offsets of the first `{` in `text` and of the first `}` after it.
/// Both are ASCII, so slicing at them keeps UTF-8 boundaries.
fn next_braces(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let open = bytes.iter().position(|&b| b == b'{')?;
    let len = bytes.get(open..)?.iter().position(|&b| b == b'}')?;
    Some((open, open + len))
}

/// One `{...}` parameter of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    pub name: &'a str,
    /// Declared with the `:path` converter: takes one or more segments.
    pub catch_all: bool,
}

/// The parameters of a template, in order.
pub fn params(path: &str) -> Vec<Param<'_>> {
    Params::new(path).collect()
}

/// The parameters of a template, in order, without collecting them.
#[derive(Debug, Clone)]
pub struct Params<'a> {
    rest: &'a str,
}

impl<'a> Params<'a> {
    pub fn new(path: &'a str) -> Self {
        Params { rest: path }
    }
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        let (open, close) = next_braces(self.rest)?;
        let inner = &self.rest[open + 1..close];
        self.rest = &self.rest[close + 1..];
        let (name, converter) = match inner.split_once(':') {
            Some((name, converter)) => (name.trim(), Some(converter.trim())),
            None => (inner.trim(), None),
        };
        Some(Param {
            name,
            catch_all: converter == Some("path"),
        })
    }
}

/// Whether two templates have the same parameter names in the same order.
pub fn same_param_names(a: &str, b: &str) -> bool {
    Params::new(a)
        .map(|p| p.name)
        .eq(Params::new(b).map(|p| p.name))
}

/// The suffixes of a shape that start at a segment boundary, longest
/// first, ending with the empty suffix: `/a/{}` gives `/a/{}`, `a/{}`,
/// `/{}`, `{}`, ``. A suffix with and without its leading slash is listed so
/// that a route path written without one (`"items"`) still lines up.
pub fn boundary_suffixes(shape: &str) -> impl Iterator<Item = &str> {
    let bytes = shape.as_bytes();
    (0..=shape.len()).filter_map(move |k| {
        let at_slash = bytes.get(k) == Some(&b'/');
        let after_slash = k > 0 && bytes.get(k - 1) == Some(&b'/');
        (k == 0 || k == shape.len() || at_slash || after_slash).then(|| &shape[k..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_drops_names_and_converters() {
        assert_eq!(shape("/v1/teams/{team_id}"), "/v1/teams/{}");
        assert_eq!(shape("/r/{uri:path}/x"), "/r/{}/x");
        assert_eq!(shape("/teams/"), "/teams/");
        assert_eq!(shape(""), "");
        assert_eq!(shape("/a/{b"), "/a/{b");
        assert_eq!(shape("/a/{}}"), "/a/{}}");
    }

    #[test]
    fn params_know_the_path_converter() {
        assert_eq!(
            params("/r/{uri:path}/{id}/{n:int}"),
            [
                Param {
                    name: "uri",
                    catch_all: true
                },
                Param {
                    name: "id",
                    catch_all: false
                },
                Param {
                    name: "n",
                    catch_all: false
                },
            ]
        );
        assert!(params("/plain").is_empty());
        assert_eq!(params("/a/{b").len(), 0);
        assert_eq!(params("/a/{ x : int }/{é}").len(), 2);
    }

    #[test]
    fn shapes_share_a_buffer() {
        let mut buf = String::from("/api");
        assert!(push_shape(&mut buf, "/t/{id:int}/é/{x}"));
        assert_eq!(buf, "/api/t/{}/é/{}");
        assert!(!push_shape(&mut buf, "/a:b/{x}"));
    }

    #[test]
    fn parameter_names_compare_without_converters() {
        assert!(same_param_names("/a/{id:int}/{uri:path}", "/b/{id}/{uri}"));
        assert!(!same_param_names("/a/{id}", "/a/{id}/{x}"));
        assert!(!same_param_names("/a/{id}", "/a/{other}"));
        assert!(same_param_names("/a", "/b/{c"));
    }

    #[test]
    fn suffixes_start_at_segment_boundaries() {
        let all: Vec<&str> = boundary_suffixes("/v1/{}/").collect();
        assert_eq!(all, ["/v1/{}/", "v1/{}/", "/{}/", "{}/", "/", ""]);
        assert_eq!(boundary_suffixes("").collect::<Vec<_>>(), [""]);
    }
}
