//! Path templates as the router reader compares them: parameters reduced to
//! their position (`{team_id}` and `{id}` are the same shape), converters
//! dropped (`{uri:path}` is `{uri}`), trailing slashes kept.

/// The shape of a template: every `{...}` becomes `{}`. `/teams/{id:path}/x`
/// has the shape `/teams/{}/x`. An unbalanced `{` is kept as text.
pub fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str("{}");
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
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
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        let (name, converter) = match inner.split_once(':') {
            Some((name, converter)) => (name.trim(), Some(converter.trim())),
            None => (inner.trim(), None),
        };
        out.push(Param {
            name,
            catch_all: converter == Some("path"),
        });
        rest = &rest[open + len + 1..];
    }
    out
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
    }

    #[test]
    fn suffixes_start_at_segment_boundaries() {
        let all: Vec<&str> = boundary_suffixes("/v1/{}/").collect();
        assert_eq!(all, ["/v1/{}/", "v1/{}/", "/{}/", "{}/", "/", ""]);
        assert_eq!(boundary_suffixes("").collect::<Vec<_>>(), [""]);
    }
}
