//! Name rules shared by tasks, timers and credentials.

use crate::error::{Result, invalid};

/// Task names: 5-50 characters of `[A-Za-z0-9_-]`, as az validates them.
pub fn validate_task_name(name: &str) -> Result<()> {
    let len = name.chars().count();
    if !(5..=50).contains(&len) || !name.chars().all(is_name_char) {
        return Err(invalid(format!(
            "invalid task name '{name}': a task name is 5 to 50 characters of letters, digits, '-' and '_'"
        )));
    }
    Ok(())
}

/// Timer and trigger names: 1-50 characters of `[A-Za-z0-9_-]`.
pub fn validate_trigger_name(kind: &str, name: &str) -> Result<()> {
    let len = name.chars().count();
    if !(1..=50).contains(&len) || !name.chars().all(is_name_char) {
        return Err(invalid(format!(
            "invalid {kind} name '{name}': use 1 to 50 characters of letters, digits, '-' and '_'"
        )));
    }
    Ok(())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_names_follow_az_rules() {
        assert!(validate_task_name("hello").is_ok());
        assert!(validate_task_name("task_hello-world1").is_ok());
        assert!(validate_task_name("abcd").is_err());
        assert!(validate_task_name(&"a".repeat(51)).is_err());
        assert!(validate_task_name("hello world").is_err());
        assert!(validate_task_name("héllo").is_err());
    }
}
