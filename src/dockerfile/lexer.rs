//! Shell word expansion as BuildKit applies it to FROM, `--platform` and ARG values: quotes
//! (removed; nothing expands inside single quotes), the escape character, `$V`, `${V}` and
//! the modifiers `:-` `-` `:+` `+` `:?` `?` `#` `##` `%` `%%` `/` `//` with `*` and `?`
//! patterns. Unset variables expand to "".

/// The variables a word is expanded with.
pub trait Vars {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Vars for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Expands one word; an error says what is wrong with it, as BuildKit would.
pub fn expand_word(
    word: &str,
    escape: char,
    vars: &(impl Vars + ?Sized),
) -> Result<String, String> {
    let mut lexer = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        vars,
        depth: 0,
    };
    lexer
        .until(None, false)
        .map_err(|e| format!("failed to process \"{word}\": {e}"))
}

/// Whether expanding `word` would change it (it holds quotes, escapes or `$`).
pub fn has_expansion(word: &str, escape: char) -> bool {
    let empty: &[(String, String)] = &[];
    expand_word(word, escape, empty).map_or(true, |w| w != word)
}

struct Lexer<'a, V: Vars + ?Sized> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    vars: &'a V,
    /// How many `${` deep the lexer is (bounded: a hostile file cannot exhaust the stack).
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl<V: Vars + ?Sized> Lexer<'_, V> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += usize::from(c.is_some());
        c
    }

    /// The text up to `stop` (consumed) or the end. `raw_escapes` keeps the escape
    /// character (patterns need it to tell `\*` from `*`).
    fn until(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok(out);
            }
            match c {
                '$' => out.push_str(&self.dollar()?),
                '\'' => out.push_str(&self.single_quoted()?),
                '"' => out.push_str(&self.double_quoted()?),
                c if c == self.escape => {
                    self.next();
                    if raw_escapes {
                        out.push(c);
                    }
                    if let Some(escaped) = self.next() {
                        out.push(escaped);
                    }
                }
                c => {
                    self.next();
                    out.push(c);
                }
            }
        }
        match stop {
            Some(s) => Err(format!(
                "unexpected end of statement while looking for matching {s}"
            )),
            None => Ok(out),
        }
    }

    fn single_quoted(&mut self) -> Result<String, String> {
        self.next();
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, String> {
        self.next();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    return Ok(out);
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(c) => {
                    self.next();
                    if c == self.escape {
                        // Only `"`, `$` and the escape itself are escaped in double quotes.
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.next();
                                out.push(n);
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// A name after `$`: digits, one special parameter, or letters, digits and `_`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && "@*#?-$!0".contains(c) {
                self.next();
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }

    fn dollar(&mut self) -> Result<String, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("substitutions nested more than {MAX_DEPTH} deep"));
        }
        self.depth += 1;
        let result = self.dollar_inner();
        self.depth -= 1;
        result
    }

    fn dollar_inner(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            return Ok(if name.is_empty() {
                "$".into()
            } else {
                self.value(&name).unwrap_or_default().to_string()
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        let modifier = self.next();
        match modifier {
            Some('}') => Ok(self.value(&name).unwrap_or_default().to_string()),
            Some('/') => self.replace(&name),
            Some(':') => {
                let op = self.next();
                match op {
                    Some(c @ ('-' | '+' | '?')) => self.modify(&name, c, true),
                    other => Err(format!(
                        "unsupported modifier (:{}) in substitution",
                        other.map(String::from).unwrap_or_default()
                    )),
                }
            }
            Some(c @ ('-' | '+' | '?' | '#' | '%')) => self.modify(&name, c, false),
            None => Err("syntax error: missing '}'".into()),
            other => Err(format!(
                "unsupported modifier ({}) in substitution",
                other.map(String::from).unwrap_or_default()
            )),
        }
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }

    fn word_until_brace(&mut self, raw_escapes: bool) -> Result<String, String> {
        self.until(Some('}'), raw_escapes).map_err(|e| {
            if self.peek().is_none() {
                "syntax error: missing '}'".into()
            } else {
                e
            }
        })
    }

    /// `${V-w}`, `${V:-w}`, `${V+w}`, `${V:+w}`, `${V?m}`, `${V:?m}`, `${V#p}`, `${V%p}`.
    fn modify(&mut self, name: &str, op: char, null_is_unset: bool) -> Result<String, String> {
        let word = self.word_until_brace(op == '#' || op == '%')?;
        let value = self.value(name).map(str::to_string);
        let unset = value.is_none() || (null_is_unset && value.as_deref() == Some(""));
        let value = value.unwrap_or_default();
        match op {
            '-' => Ok(if unset { word } else { value }),
            '+' => Ok(if unset { String::new() } else { word }),
            '?' => {
                if value.is_empty() && (unset || null_is_unset) {
                    let default = if self.value(name).is_none() {
                        "is not allowed to be unset"
                    } else {
                        "is not allowed to be empty"
                    };
                    let message = if word.is_empty() { default } else { &word };
                    return Err(format!("{name}: {message}"));
                }
                Ok(value)
            }
            '#' | '%' => {
                let (greedy, pattern) = match word.strip_prefix(op) {
                    Some(rest) => (true, rest.to_string()),
                    None => (false, word),
                };
                let pattern = Pattern::parse(&pattern)?;
                Ok(if op == '#' {
                    pattern.trim_prefix(&value, greedy)
                } else {
                    pattern.trim_suffix(&value, greedy)
                })
            }
            _ => unreachable!("the caller passes one of - + ? # %"),
        }
    }

    /// `${V/p/r}` (first match) and `${V//p/r}` (every match).
    fn replace(&mut self, name: &str) -> Result<String, String> {
        let all = self.peek() == Some('/');
        if all {
            self.next();
        }
        let pattern = self.until(Some('/'), true).map_err(|e| {
            if self.peek().is_none() {
                "syntax error: missing '/' in ${}".to_string()
            } else {
                e
            }
        })?;
        let replacement = self.word_until_brace(true)?;
        let value = self.value(name).unwrap_or_default().to_string();
        let pattern = Pattern::parse(&pattern)?;
        // A match is tried from every position: bound the work a hostile file can ask for.
        let n = value.chars().count();
        if pattern.0.len().saturating_mul(n).saturating_mul(n) > 50_000_000 {
            return Err(format!(
                "the substitution ${{{name}/...}} is too large to evaluate ({n} characters)"
            ));
        }
        Ok(pattern.replace(&value, &replacement, all))
    }
}

/// A shell pattern: `*` any text, `?` one character, `\x` the character x.
#[derive(Debug)]
struct Pattern(Vec<Token>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Any,
    One,
    Char(char),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let mut tokens = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => Token::Any,
                '?' => Token::One,
                '\\' => match chars.next() {
                    // `\}` and `\/` are how a pattern says `}` and `/` inside ${}.
                    Some(e @ ('*' | '?' | '\\' | '}' | '/')) => Token::Char(e),
                    Some(e) => return Err(format!("invalid pattern: invalid escape '\\{e}'")),
                    None => return Err("invalid pattern: a pattern cannot end with '\\'".into()),
                },
                c => Token::Char(c),
            });
        }
        Ok(Pattern(tokens))
    }

    /// For every j, whether the pattern matches `text[..j]`: one pass per pattern token,
    /// whatever the number of `*`.
    fn prefix_matches(&self, text: &[char]) -> Vec<bool> {
        // can[j]: the pattern so far matches text[..j].
        let mut can = vec![false; text.len() + 1];
        can[0] = true;
        for token in &self.0 {
            let mut next = vec![false; text.len() + 1];
            match token {
                Token::Any => {
                    let mut any = false;
                    for j in 0..=text.len() {
                        any |= can[j];
                        next[j] = any;
                    }
                }
                Token::One => {
                    next[1..].copy_from_slice(&can[..text.len()]);
                }
                Token::Char(c) => {
                    for j in 1..=text.len() {
                        next[j] = can[j - 1] && text[j - 1] == *c;
                    }
                }
            }
            can = next;
        }
        can
    }

    /// The end of the shortest (or longest) prefix of `chars` the pattern matches.
    fn prefix_end(&self, chars: &[char], longest: bool) -> Option<usize> {
        let can = self.prefix_matches(chars);
        if longest {
            can.iter().rposition(|&c| c)
        } else {
            can.iter().position(|&c| c)
        }
    }

    fn trim_prefix(&self, value: &str, longest: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        match self.prefix_end(&chars, longest) {
            Some(end) => chars[end..].iter().collect(),
            None => value.to_string(),
        }
    }

    /// A suffix match is a prefix match of the reversed pattern on the reversed value.
    fn trim_suffix(&self, value: &str, longest: bool) -> String {
        let reversed = Pattern(self.0.iter().rev().copied().collect());
        let chars: Vec<char> = value.chars().rev().collect();
        match reversed.prefix_end(&chars, longest) {
            Some(len) => chars[len..].iter().rev().collect(),
            None => value.to_string(),
        }
    }

    /// The leftmost match, as long as it goes; with `all`, every match after it too.
    fn replace(&self, value: &str, replacement: &str, all: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        let mut replaced = false;
        while i <= chars.len() {
            let found = if replaced && !all {
                None
            } else {
                self.prefix_end(&chars[i..], true).map(|len| i + len)
            };
            match found {
                Some(end) => {
                    out.push_str(replacement);
                    replaced = true;
                    if end == i {
                        // An empty match: keep the character and go on.
                        if let Some(c) = chars.get(i) {
                            out.push(*c);
                        }
                        i += 1;
                    } else {
                        i = end;
                    }
                }
                None => {
                    if let Some(c) = chars.get(i) {
                        out.push(*c);
                    }
                    i += 1;
                }
            }
        }
        out
    }
}
