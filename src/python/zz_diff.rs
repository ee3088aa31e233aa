#[test]
#[ignore]
fn dump_tokens() {
    use crate::python::*;
    let list = std::env::var("LEX_DUMP_LIST").unwrap();
    let out_path = std::env::var("LEX_DUMP_OUT").unwrap();
    let mut out = String::new();
    for path in std::fs::read_to_string(list).unwrap().lines() {
        let bytes = std::fs::read(path).unwrap();
        let source = Source::from_bytes(&bytes);
        let index = LineIndex::new(&source.text);
        let t = tokenize(&source.text);
        let toks: Vec<serde_json::Value> = t.tokens.iter().map(|tok| {
            let (l, c) = index.line_col(tok.range.start);
            serde_json::json!([format!("{:?}", tok.kind), l, c - 1, token_text(&source.text, *tok)])
        }).collect();
        let errs: Vec<String> = t.errors.iter().map(|e| format!("{:?}@{:?}", e.kind, index.line_col(e.range.start))).collect();
        out.push_str(&serde_json::json!({"path": path, "tokens": toks, "errors": errs}).to_string());
        out.push('\n');
    }
    std::fs::write(out_path, out).unwrap();
}
