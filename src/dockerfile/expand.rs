//! `$V`, `${V}`, `${V:-default}`, `${V-default}`, `${V:+alt}`, `${V+alt}` as Dockerfiles
//! expand them. Unknown variables expand to "".

pub fn expand(text: &str, vars: &[(String, String)]) -> String {
    let lookup = |name: &str| {
        vars.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let Some(close) = chars[i + 2..].iter().position(|&c| c == '}') else {
                out.extend(&chars[i..]);
                break;
            };
            let inner: String = chars[i + 2..i + 2 + close].iter().collect();
            out.push_str(&expand_braced(&inner, &lookup, vars));
            i += close + 3;
        } else {
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if name.is_empty() {
                out.push('$');
                i += 1;
            } else {
                out.push_str(lookup(&name).unwrap_or(""));
                i += 1 + name.chars().count();
            }
        }
    }
    out
}

fn expand_braced<'a>(
    inner: &str,
    lookup: &impl Fn(&str) -> Option<&'a str>,
    vars: &[(String, String)],
) -> String {
    let name_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_end);
    let value = lookup(name);
    let set_non_empty = value.is_some_and(|v| !v.is_empty());
    if let Some(default) = rest.strip_prefix(":-") {
        return if set_non_empty {
            value.unwrap().to_string()
        } else {
            expand(default, vars)
        };
    }
    if let Some(default) = rest.strip_prefix('-') {
        return value.map_or_else(|| expand(default, vars), str::to_string);
    }
    if let Some(alt) = rest.strip_prefix(":+") {
        return if set_non_empty {
            expand(alt, vars)
        } else {
            String::new()
        };
    }
    if let Some(alt) = rest.strip_prefix('+') {
        return if value.is_some() {
            expand(alt, vars)
        } else {
            String::new()
        };
    }
    value.unwrap_or("").to_string()
}
