//! Which outputs a secret went into. The file is rendered a second time with every secret
//! replaced by a stand-in of the same shape (the same length, each letter or digit changed
//! to another of its kind, so that base64, hex or a number still reads as one). An action
//! whose output changes with the secret was computed from it, whatever functions, variables,
//! `index` or `range` lay between, and its whole output is reported.
//!
//! When the two renders do not run the same actions in the same order (the file branches on
//! a secret), or only the stand-in render fails, the actions cannot be paired; then every
//! non-empty action output is reported: too much is masked rather than a secret shown.

use super::trace::Span;

/// A secret's stand-in: each ASCII letter or digit moved one place in its class (`z` to
/// `a`), `+` and `/` swapped (base64 stays base64), any other non-ASCII character moved to
/// a neighbour of the same UTF-8 length, the rest kept.
pub fn stand_in(secret: &str) -> String {
    secret.chars().map(stand_in_char).collect()
}

fn stand_in_char(c: char) -> char {
    let rotate =
        |c: char, first: u8, count: u8| char::from(first + ((c as u8 - first + 1) % count));
    match c {
        'a'..='z' => rotate(c, b'a', 26),
        'A'..='Z' => rotate(c, b'A', 26),
        '0'..='9' => rotate(c, b'0', 10),
        '+' => '/',
        '/' => '+',
        c if c.is_ascii() => c,
        // Flipping the lowest bit never crosses a UTF-8 length boundary.
        c => char::from_u32(c as u32 ^ 1).unwrap_or(c),
    }
}

/// One render's action outputs, in order.
pub struct Outputs<'a> {
    pub text: &'a str,
    pub spans: &'a [Span],
}

impl Outputs<'_> {
    fn output(&self, span: &Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }
}

/// The outputs of `real` that a secret went into, judged against `stand_in` (the render with
/// stand-ins; `None` if it failed), in order, each once.
pub fn derived(real: &Outputs<'_>, stand_in: Option<&Outputs<'_>>) -> Vec<String> {
    let paired = stand_in.filter(|s| {
        s.spans.len() == real.spans.len()
            && s.spans
                .iter()
                .zip(real.spans)
                .all(|(a, b)| a.action == b.action)
    });
    let mut found: Vec<String> = Vec::new();
    for (i, span) in real.spans.iter().enumerate() {
        let output = no_value_removed(real.output(span));
        let secret = match paired {
            Some(other) => no_value_removed(other.output(&other.spans[i])) != output,
            None => true,
        };
        if secret && !output.is_empty() && !found.contains(&output) {
            found.push(output);
        }
    }
    found
}

/// What acr-builder does to every output: Go's `<no value>` (a missing key) removed.
pub fn no_value_removed(text: &str) -> String {
    text.replace("<no value>", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_keep_the_shape_and_change_every_letter_and_digit() {
        assert_eq!(stand_in("aZz09+/=-é"), "bAa10/+=-è");
        let secret = "hunter22";
        let other = stand_in(secret);
        assert_eq!(other.len(), secret.len());
        assert!(other.chars().zip(secret.chars()).all(|(a, b)| a != b));
    }
}
