//! Locust's request statistics: the `--csv` output (`PREFIX_stats.csv`, the
//! same table a running Locust serves at `/stats/requests/csv`) and the
//! `/stats/requests` JSON of a running Locust, read into plain rows.
//!
//! Columns are found by their header name, so their order does not matter.
//! The `Aggregated` total row is dropped. Anything that is not a Locust stats
//! table is an error naming the input and what it lacks.

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::fetch::{self, FetchOptions};

/// One row of Locust's statistics: one request type and name.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRow {
    /// Locust's request type: an HTTP method (`GET`) or a custom type
    /// (`MCP`, `WS`) fired by hand.
    pub method: String,
    /// Locust's name: the `name=` label, or the URL when none was given.
    pub name: String,
    pub requests: u64,
    pub failures: u64,
    pub median_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

/// CSV columns every stats table has, in the order they are reported when missing.
const REQUIRED: [&str; 4] = ["Type", "Name", "Request Count", "Failure Count"];

/// Older Locust releases (before 1.0) named some columns differently.
const ALIASES: [(&str, &str); 4] = [
    ("Type", "Method"),
    ("Request Count", "# requests"),
    ("Failure Count", "# failures"),
    ("Median Response Time", "Median response time"),
];

/// Reads statistics from `source`: a file, or a running Locust's
/// `/stats/requests/csv` or `/stats/requests` URL. `opts` should carry no
/// headers: the spec's credentials are not for Locust.
pub fn load(source: &str, opts: &FetchOptions) -> anyhow::Result<Vec<StatsRow>> {
    let shown = shown_source(source);
    let bytes = fetch::read_source(source, opts)
        .with_context(|| format!("cannot read Locust statistics from {shown}"))?;
    parse(&String::from_utf8_lossy(&bytes), &shown)
}

/// A source as messages show it: a URL without credentials, query or fragment.
fn shown_source(source: &str) -> String {
    if !fetch::is_url(source) {
        return source.to_string();
    }
    match reqwest::Url::parse(source.trim()) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => "the --stats URL".to_string(),
    }
}

/// Parses statistics from `text`, read from `origin` (a path or URL, used
/// in messages). JSON when the text starts with `{`, CSV otherwise.
pub fn parse(text: &str, origin: &str) -> anyhow::Result<Vec<StatsRow>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = if text.trim_start().starts_with('{') {
        parse_json(text, origin)?
    } else {
        parse_csv(text, origin)?
    };
    Ok(merge_duplicates(rows))
}

/// Parses a `*_stats.csv` table.
pub fn parse_csv(text: &str, origin: &str) -> anyhow::Result<Vec<StatsRow>> {
    let records = split_csv(text).with_context(|| {
        format!(
            "{origin}: not a Locust stats file (give PREFIX_stats.csv from `locust --csv PREFIX`)"
        )
    })?;
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else {
        bail!("{origin}: the file is empty; give PREFIX_stats.csv from `locust --csv PREFIX`");
    };
    let find = |name: &str| -> Option<usize> {
        let alias = ALIASES
            .iter()
            .find(|(canonical, _)| *canonical == name)
            .map(|(_, alias)| *alias);
        header
            .iter()
            .position(|h| h.trim() == name || Some(h.trim()) == alias)
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        bail!(
            "{origin}: not a Locust stats file: missing column{} {}; give PREFIX_stats.csv from `locust --csv PREFIX`",
            if missing.len() == 1 { "" } else { "s" },
            missing
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let col = |name: &str| find(name).unwrap_or(usize::MAX);
    let (c_type, c_name, c_req, c_fail) = (
        col("Type"),
        col("Name"),
        col("Request Count"),
        col("Failure Count"),
    );
    let c_median = find("Median Response Time");
    let c_p95 = find("95%");

    let mut rows = Vec::new();
    for (line, record) in records {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |i: usize| record.get(i).map(|s| s.trim()).unwrap_or("");
        let method = field(c_type).to_string();
        let name = field(c_name).to_string();
        if is_total(&method, &name) {
            continue;
        }
        let count = |i: usize, column: &str| -> anyhow::Result<u64> {
            parse_count(field(i)).with_context(|| {
                format!("{origin}:{line}: `{column}` is `{}`, not a count", field(i))
            })
        };
        rows.push(StatsRow {
            requests: count(c_req, "Request Count")?,
            failures: count(c_fail, "Failure Count")?,
            median_ms: c_median.and_then(|i| parse_ms(field(i))),
            p95_ms: c_p95.and_then(|i| parse_ms(field(i))),
            method,
            name,
        });
    }
    Ok(rows)
}

/// Parses the `/stats/requests` JSON of a running Locust.
pub fn parse_json(text: &str, origin: &str) -> anyhow::Result<Vec<StatsRow>> {
    let doc: Value = serde_json::from_str(text).with_context(|| {
        format!("{origin}: not valid JSON; give a running Locust's /stats/requests")
    })?;
    let Some(stats) = doc.get("stats").and_then(Value::as_array) else {
        bail!(
            "{origin}: not Locust statistics: no `stats` list; give a running Locust's /stats/requests or a PREFIX_stats.csv"
        );
    };
    let mut rows = Vec::new();
    for (i, entry) in stats.iter().enumerate() {
        let text_of = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("");
        let method = text_of("method").to_string();
        let name = text_of("name").to_string();
        if is_total(&method, &name) {
            continue;
        }
        let count = |key: &str| -> anyhow::Result<u64> {
            match entry.get(key) {
                Some(v) => v
                    .as_u64()
                    .or_else(|| {
                        v.as_f64()
                            .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                            .map(|f| f as u64)
                    })
                    .with_context(|| format!("{origin}: stats[{i}] `{key}` is {v}, not a count")),
                None => bail!("{origin}: stats[{i}] has no `{key}`; not Locust's /stats/requests"),
            }
        };
        let ms = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_f64)
                .filter(|f| f.is_finite())
        };
        rows.push(StatsRow {
            requests: count("num_requests")?,
            failures: count("num_failures")?,
            median_ms: ms("median_response_time"),
            p95_ms: ms("response_time_percentile_0.95"),
            method,
            name,
        });
    }
    Ok(rows)
}

/// The total row: `Aggregated` (or `Total` before Locust 1.0) with no type.
fn is_total(method: &str, name: &str) -> bool {
    (method.is_empty() || method == "None") && (name == "Aggregated" || name == "Total")
}

/// A count: an integer, or a float with no fraction (some writers print `12.0`).
fn parse_count(field: &str) -> Option<u64> {
    field.parse::<u64>().ok().or_else(|| {
        field
            .parse::<f64>()
            .ok()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && f.is_finite())
            .map(|f| f as u64)
    })
}

/// Milliseconds; `N/A` (no requests) and anything unreadable give `None`.
fn parse_ms(field: &str) -> Option<f64> {
    field
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && *f >= 0.0)
}

/// Rows with the same type and name (several files, a hand-edited table)
/// become one: counts add up, times keep the slowest.
fn merge_duplicates(rows: Vec<StatsRow>) -> Vec<StatsRow> {
    let mut out: Vec<StatsRow> = Vec::with_capacity(rows.len());
    for row in rows {
        match out
            .iter_mut()
            .find(|r| r.method == row.method && r.name == row.name)
        {
            Some(existing) => {
                existing.requests += row.requests;
                existing.failures += row.failures;
                existing.median_ms = max_opt(existing.median_ms, row.median_ms);
                existing.p95_ms = max_opt(existing.p95_ms, row.p95_ms);
            }
            None => out.push(row),
        }
    }
    out.sort_by(|a, b| (&a.name, &a.method).cmp(&(&b.name, &b.method)));
    out
}

/// The larger of two optional figures.
pub fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Splits CSV text into records (RFC 4180: quoted fields may hold commas,
/// doubled quotes and line breaks), each with the 1-based line it starts on.
fn split_csv(text: &str) -> anyhow::Result<Vec<(usize, Vec<String>)>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        bail!("line {start_line}: a quoted field is never closed");
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start_line, record));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";

    fn csv(rows: &[&str]) -> String {
        let mut text = String::from(HEADER);
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.push('\n');
        text
    }

    #[test]
    fn reads_rows_and_drops_the_aggregated_row() {
        let text = csv(&[
            "GET,/books/[id],36,2,2,2.39,1.21,4.42,55.3,4.01,0.0,2,3,3,3,4,4,4,4,4,4,4",
            "POST,/rpc tools/list,21,0,3,2.56,1.39,4.49,69.0,2.33,0.0,3,3,3,3,3,7,4,4,4,4,4",
            ",Aggregated,57,2,2,2.2,0.9,29.6,81.9,98.1,6.1,2,2,3,3,3,4,4,6,30,30,30",
        ]);
        let rows = parse(&text, "run_stats.csv").unwrap();
        assert_eq!(
            rows,
            vec![
                StatsRow {
                    method: "GET".into(),
                    name: "/books/[id]".into(),
                    requests: 36,
                    failures: 2,
                    median_ms: Some(2.0),
                    p95_ms: Some(4.0),
                },
                StatsRow {
                    method: "POST".into(),
                    name: "/rpc tools/list".into(),
                    requests: 21,
                    failures: 0,
                    median_ms: Some(3.0),
                    p95_ms: Some(7.0),
                },
            ]
        );
    }

    #[test]
    fn quoted_names_keep_commas_quotes_and_line_breaks() {
        let text = csv(&[
            "GET,\"/search?q=a,b\",1,0,2,2,2,2,0,0,0,2,2,2,2,2,2,2,2,2,2,2",
            "GET,\"say \"\"hi\"\"\",1,0,2,2,2,2,0,0,0,2,2,2,2,2,2,2,2,2,2,2",
            "GET,\"two\nlines\",1,1,N/A,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
        ]);
        let rows = parse(&text, "s.csv").unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["/search?q=a,b", "say \"hi\"", "two\nlines"]);
        assert_eq!(rows[2].median_ms, None);
        assert_eq!(rows[2].p95_ms, None);
    }

    #[test]
    fn columns_are_found_by_name_and_crlf_is_fine() {
        let text = "Name,Failure Count,Type,Request Count\r\n/health,0,GET,5\r\n";
        let rows = parse(text, "s.csv").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].method.as_str(), rows[0].requests), ("GET", 5));
        assert_eq!(rows[0].median_ms, None);
    }

    #[test]
    fn old_column_names_are_accepted() {
        let text = "\"Method\",\"Name\",\"# requests\",\"# failures\",\"Median response time\"\n\"GET\",\"/x\",3,1,12\n\"None\",\"Total\",3,1,12\n";
        let rows = parse(text, "old.csv").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].failures, 1);
        assert_eq!(rows[0].median_ms, Some(12.0));
    }

    #[test]
    fn a_table_of_another_kind_names_the_missing_columns() {
        let err = parse(
            "Method,Name,Error,Occurrences\nGET,/x,boom,3\n",
            "run_failures.csv",
        )
        .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "run_failures.csv: not a Locust stats file: missing columns `Request Count`, `Failure Count`; give PREFIX_stats.csv from `locust --csv PREFIX`"
        );
    }

    #[test]
    fn a_bad_count_names_the_line_and_column() {
        let err = parse(&csv(&["GET,/x,many,0"]), "s.csv").unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "s.csv:2: `Request Count` is `many`, not a count"
        );
    }

    #[test]
    fn empty_and_unterminated_inputs_are_errors() {
        assert!(parse("", "e.csv").is_err());
        let err = parse("Type,Name\n\"GET,/x\n", "q.csv").unwrap_err();
        assert!(format!("{err:#}").contains("never closed"), "{err:#}");
    }

    #[test]
    fn duplicate_rows_add_up() {
        let text = csv(&[
            "GET,/x,3,1,2,0,0,0,0,0,0,2,2,2,2,2,5,2,2,2,2,2",
            "GET,/x,4,0,9,0,0,0,0,0,0,9,9,9,9,9,3,9,9,9,9,9",
        ]);
        let rows = parse(&text, "s.csv").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].requests, rows[0].failures), (7, 1));
        assert_eq!((rows[0].median_ms, rows[0].p95_ms), (Some(9.0), Some(5.0)));
    }

    #[test]
    fn reads_the_web_json() {
        let text = r#"{"state": "running", "stats": [
            {"method": "GET", "name": "/health", "num_requests": 11, "num_failures": 1,
             "median_response_time": 1.5, "response_time_percentile_0.95": 2},
            {"method": "", "name": "Aggregated", "num_requests": 11, "num_failures": 1}
        ]}"#;
        let rows = parse(text, "http://127.0.0.1:8089/stats/requests").unwrap();
        assert_eq!(
            rows,
            vec![StatsRow {
                method: "GET".into(),
                name: "/health".into(),
                requests: 11,
                failures: 1,
                median_ms: Some(1.5),
                p95_ms: Some(2.0),
            }]
        );
    }

    #[test]
    fn json_of_another_kind_is_an_error() {
        let err = parse(r#"{"openapi": "3.1.0"}"#, "openapi.json").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("openapi.json: not Locust statistics: no `stats` list")
        );
        let err = parse(
            r#"{"stats": [{"name": "/x", "num_requests": -1, "num_failures": 0}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "s.json: stats[0] `num_requests` is -1, not a count"
        );
    }

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(
            shown_source("http://u:secret@127.0.0.1:8089/stats/requests?token=abc"),
            "http://127.0.0.1:8089/stats/requests"
        );
        assert_eq!(shown_source("out/run_stats.csv"), "out/run_stats.csv");
    }

    #[test]
    fn load_names_a_missing_file() {
        let err = load("no/such_stats.csv", &FetchOptions::default()).unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.starts_with("cannot read Locust statistics from no/such_stats.csv: "),
            "{text}"
        );
    }

    #[test]
    fn real_locust_outputs_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/e2e/samples");
        for file in ["web_requests.csv", "web_requests.json"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let rows = parse(&text, file).unwrap();
            assert!(rows.len() > 10, "{file}: {} rows", rows.len());
            assert!(rows.iter().all(|r| r.name != "Aggregated"), "{file}");
            let invoice = rows
                .iter()
                .find(|r| r.name == "/orders/[id]/invoice")
                .unwrap();
            assert_eq!(invoice.failures, invoice.requests, "{file}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
            let _ = parse(&text, "x");
        }

        #[test]
        fn quoted_names_round_trip(name in "[ -~\n]{1,30}") {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let text = format!("Type,Name,Request Count,Failure Count\nGET,{quoted},1,0\n");
            let rows = parse(&text, "x").unwrap();
            proptest::prop_assert_eq!(rows.len(), 1);
            proptest::prop_assert_eq!(&rows[0].name, name.trim());
        }
    }
}
