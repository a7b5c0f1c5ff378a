//! `--query`: JMESPath, parsed before the command runs so that a bad query changes nothing.

use serde_json::Value;

use crate::error::{Result, invalid};

pub struct Query {
    text: String,
    ast: jmespath::ast::Ast,
}

impl Query {
    pub fn compile(text: &str) -> Result<Query> {
        let ast = jmespath::parse(text).map_err(|e| {
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
        assert!(unknown.apply(json!({})).is_err());
    }
}
