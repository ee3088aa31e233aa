//! Python's reserved words.

/// Whether `name` is one of Python's keywords (soft keywords such as
/// `match` and `type` are names).
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::is_keyword;

    #[test]
    fn keywords_and_names() {
        for k in ["def", "None", "yield", "await", "lambda", "nonlocal"] {
            assert!(is_keyword(k), "{k}");
        }
        for n in ["self", "client", "match", "type", "none", "Def"] {
            assert!(!is_keyword(n), "{n}");
        }
    }
}
