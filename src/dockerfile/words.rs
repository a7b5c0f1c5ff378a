//! Splitting the words of an ARG line and the fields of a `--mount` value.

/// `a=1 b "c=two words"`: words split at blanks outside quotes (quotes kept, for the value's
/// expansion to remove), each `NAME[=VALUE]`.
pub fn arg_definitions(text: &str, escape: char) -> Vec<(String, Option<String>)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            None if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                continue;
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
        current.push(c);
        if c == escape
            && let Some(next) = chars.next()
        {
            current.push(next);
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

/// Comma-separated fields, a field in double quotes may hold commas (`""` is a quote).
pub fn csv_fields(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields
}
