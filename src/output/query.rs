//! `--query`: JMESPath, compiled before the command runs so that a bad query changes nothing.

use serde_json::Value;

use crate::error::{Result, invalid};

pub struct Query {
    text: String,
    expression: jmespath::Expression<'static>,
}

impl Query {
    pub fn compile(text: &str) -> Result<Query> {
        let expression = jmespath::compile(text).map_err(|e| {
            invalid(format!(
                "invalid --query '{text}': {}; see https://jmespath.org for the syntax",
                e.to_string().lines().next().unwrap_or_default()
            ))
        })?;
        Ok(Query {
            text: text.to_string(),
            expression,
        })
    }

    pub fn apply(&self, value: &Value) -> Result<Value> {
        let result = self
            .expression
            .search(value)
            .map_err(|e| invalid(format!("--query '{}' failed: {e}", self.text)))?;
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
            q.apply(&json!([{"name": "a"}, {"name": "b"}])).unwrap(),
            json!(["a", "b"])
        );
        assert!(Query::compile("[[").is_err());
    }
}
