//! What acrt echoes of what it was given or a peer sent (names, registry answers, builder
//! output, webhook bodies) reaches a terminal or a log: control characters in it could clear
//! the screen, set the terminal's title or forge lines, so they are shown escaped.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1, ESC) shown escaped, as `\u{1b}`, `\r`
/// or `\0`; line breaks and tabs are kept, for messages of several lines.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let is_escaped = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_escaped(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_line_breaks_kept() {
        assert_eq!(
            escape_controls("x\u{1b}[2J\u{1b}]0;title\u{7}"),
            "x\\u{1b}[2J\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(
            escape_controls("a\rb\0c\u{7f}d\u{9b}e"),
            "a\\rb\\0c\\u{7f}d\\u{9b}e"
        );
        assert_eq!(escape_controls("line 1\n\tline 2"), "line 1\n\tline 2");
        assert!(matches!(
            escape_controls("plain ü"),
            Cow::Borrowed("plain ü")
        ));
    }
}
