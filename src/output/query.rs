//! `--query`: JMESPath, parsed before the command runs so that a bad query changes nothing.

use serde_json::Value;

use crate::error::{Result, invalid};

pub struct Query {
    text: String,
    ast: jmespath::ast::Ast,
}

impl Query {
    pub fn compile(text: &str) -> Result<Query> {
        let ast = jmespath::parse(&lenient_literals(text)).map_err(|e| {
            invalid(format!(
                "invalid --query '{text}': {}; see https://jmespath.org for the syntax",
                e.to_string().lines().next().unwrap_or_default()
            ))
        })?;
        Ok(Query {
            text: text.to_string(),
            ast,
        })
    }

    /// Runs the query. The input is consumed: converted once, never copied.
    pub fn apply(&self, value: Value) -> Result<Value> {
        let failed =
            |e: jmespath::JmespathError| invalid(format!("--query '{}' failed: {e}", self.text));
        let input = jmespath::Rcvar::new(jmespath::Variable::try_from(value).map_err(failed)?);
        let mut runtime = jmespath::Runtime::new();
        runtime.register_builtin_functions();
        // Interpreting the parsed expression directly: `Expression::search` would first
        // re-serialize the whole input into a second tree.
        let mut context = jmespath::Context::new(&self.text, &runtime);
        let result = jmespath::interpret(&input, &self.ast, &mut context).map_err(failed)?;
        // acrt prints the result and exits; tearing down a tree of thousands of tasks node by
        // node would cost more than the query itself.
        std::mem::forget(input);
        Ok(serde_json::to_value(&*result)?)
    }
}

/// az's JMESPath (jmespath.py) reads a backtick literal that is not JSON as a string, as
/// the specification's first version did: `` [?type==`Runtime`] `` compares with "Runtime".
/// The parser acrt uses is strict, so such a literal is rewritten as the JSON string first.
/// Raw strings ('...') and quoted names ("...") are left as they are.
fn lenient_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                let mut literal = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => match chars.next() {
                            Some('`') => literal.push('`'),
                            Some(e) => {
                                literal.push('\\');
                                literal.push(e);
                            }
                            None => literal.push('\\'),
                        },
                        '`' => {
                            closed = true;
                            break;
                        }
                        _ => literal.push(d),
                    }
                }
                let json = if !closed || serde_json::from_str::<Value>(&literal).is_ok() {
                    literal
                } else {
                    serde_json::to_string(literal.trim()).unwrap_or(literal)
                };
                out.push('`');
                out.push_str(&json.replace('`', "\\`"));
                if closed {
                    out.push('`');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn projects_and_rejects_bad_syntax() {
        let q = Query::compile("[].name").unwrap();
        assert_eq!(
            q.apply(json!([{"name": "a"}, {"name": "b"}])).unwrap(),
            json!(["a", "b"])
        );
        assert!(Query::compile("[[").is_err());
        let filter = Query::compile("[?status=='Disabled'] | length(@)").unwrap();
        assert_eq!(
            filter
                .apply(json!([{"status": "Disabled"}, {"status": "Enabled"}]))
                .unwrap(),
            json!(1)
        );
        let unknown = Query::compile("nosuchfn(@)").unwrap();
        // Backtick literals: JSON, or (as in az) a bare word read as a string.
        let tasks = json!([{"type": "Runtime", "n": 2}, {"type": "BuildTime", "n": 3}]);
        for (query, expected) in [
            ("[?type==`Runtime`].n", json!([2])),
            ("[?type==`\"BuildTime\"`].n", json!([3])),
            ("[?n==`3`].type", json!(["BuildTime"])),
            ("[?type=='Runtime'].n", json!([2])),
            ("[?type==` Runtime `].n", json!([2])),
        ] {
            let q = Query::compile(query).unwrap();
            assert_eq!(q.apply(tasks.clone()).unwrap(), expected, "{query}");
        }
        assert_eq!(lenient_literals("[?a=='`x`']"), "[?a=='`x`']");
        assert!(Query::compile("[?type==`Runtime]").is_err());
        assert!(unknown.apply(json!({})).is_err());
    }
}
