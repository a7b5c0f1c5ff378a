//! The sprig functions (Masterminds/sprig v2, as acr-builder registers them) that acrt
//! implements, over the template engine's values. Each follows sprig's argument order, so
//! that a pipe passes its value last (`{{ .Run.Commit | substr 0 7 }}`). No function reads
//! the host: `env` and `expandenv` are refused (see [`REFUSED`]), and `now` is the time the
//! render started, the same for every use in one file.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use gotmpl::{TemplateError, Value, ValueFunc};
use sha2::Digest as _;

use super::go_time;

/// A function's result; the error says what is wrong, never with an argument's value (it may
/// be computed from a secret).
type FuncResult = Result<Value, String>;
type Func = fn(&[Value]) -> FuncResult;

/// Go's own template functions (text/template builtins).
pub const GO_BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ne", "lt", "le", "gt", "ge",
];

/// sprig functions a task file may use in ACR that acrt refuses, and why.
pub const REFUSED: &[(&str, &str)] = &[
    (
        "env",
        "a task file never reads the environment of the host acrt runs on: pass the value with --set",
    ),
    (
        "expandenv",
        "a task file never reads the environment of the host acrt runs on: pass the value with --set",
    ),
];

/// sprig's other functions: known names, not implemented by acrt.
pub const NOT_IMPLEMENTED: &[&str] = &[
    "hello",
    "date_modify",
    "dateModify",
    "ago",
    "toDate",
    "abbrev",
    "abbrevboth",
    "initials",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "swapcase",
    "shuffle",
    "snakecase",
    "camelcase",
    "kebabcase",
    "wrap",
    "wrapWith",
    "plural",
    "sha1sum",
    "adler32sum",
    "float64",
    "toDecimal",
    "split",
    "splitn",
    "toStrings",
    "untilStep",
    "biggest",
    "ceil",
    "floor",
    "round",
    "sortAlpha",
    "compact",
    "deepCopy",
    "toPrettyJson",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
    "getHostByName",
    "base",
    "dir",
    "clean",
    "ext",
    "isAbs",
    "b32enc",
    "b32dec",
    "tuple",
    "set",
    "unset",
    "pluck",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "values",
    "append",
    "push",
    "prepend",
    "rest",
    "initial",
    "reverse",
    "uniq",
    "without",
    "has",
    "concat",
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genSelfSignedCert",
    "genSignedCert",
    "encryptAES",
    "decryptAES",
    "uuidv4",
    "semver",
    "semverCompare",
    "regexMatch",
    "regexFindAll",
    "regexFind",
    "regexReplaceAll",
    "regexReplaceAllLiteral",
    "regexSplit",
    "urlParse",
    "urlJoin",
];

/// Functions that do not depend on when the file is rendered.
const PURE: &[(&str, Func)] = &[
    ("upper", |a| string1(a, |s| s.to_uppercase())),
    ("lower", |a| string1(a, |s| s.to_lowercase())),
    ("title", |a| string1(a, title)),
    ("untitle", |a| string1(a, untitle)),
    ("trim", |a| string1(a, |s| s.trim().to_string())),
    ("nospace", |a| {
        string1(a, |s| s.chars().filter(|c| !c.is_whitespace()).collect())
    }),
    ("trimAll", trim_all),
    ("trimall", trim_all),
    ("trimPrefix", |a| {
        string2(a, |p, s| s.strip_prefix(p).unwrap_or(s).to_string())
    }),
    ("trimSuffix", |a| {
        string2(a, |p, s| s.strip_suffix(p).unwrap_or(s).to_string())
    }),
    ("contains", |a| bool2(a, |sub, s| s.contains(sub))),
    ("hasPrefix", |a| bool2(a, |p, s| s.starts_with(p))),
    ("hasSuffix", |a| bool2(a, |p, s| s.ends_with(p))),
    ("replace", replace),
    ("substr", substr),
    ("trunc", trunc),
    ("repeat", repeat),
    ("quote", |a| Ok(joined(a, |v| go_quote(&text_of(v))))),
    ("squote", |a| Ok(joined(a, |v| format!("'{}'", text_of(v))))),
    ("cat", |a| Ok(joined(a, text_of))),
    ("indent", |a| indent(a, false)),
    ("nindent", |a| indent(a, true)),
    ("splitList", split_list),
    ("join", join),
    ("default", default),
    ("empty", |a| Ok(Value::Bool(!one(a)?.is_truthy()))),
    ("coalesce", |a| {
        Ok(a.iter()
            .find(|v| v.is_truthy())
            .cloned()
            .unwrap_or(Value::Nil))
    }),
    ("ternary", ternary),
    ("b64enc", |a| {
        string1(a, |s| base64::engine::general_purpose::STANDARD.encode(s))
    }),
    ("b64dec", |a| string1(a, b64dec)),
    ("sha256sum", |a| {
        string1(a, |s| format!("{:x}", sha2::Sha256::digest(s.as_bytes())))
    }),
    ("toString", |a| Ok(Value::String(go_sprint(one(a)?).into()))),
    ("atoi", |a| {
        string_value(one(a)?).map(|s| Value::Int(s.trim().parse().unwrap_or(0)))
    }),
    ("int", |a| Ok(Value::Int(int_of(one(a)?)))),
    ("int64", |a| Ok(Value::Int(int_of(one(a)?)))),
    ("add", |a| {
        Ok(Value::Int(a.iter().map(int_of).fold(0, i64::wrapping_add)))
    }),
    ("add1", |a| Ok(Value::Int(int_of(one(a)?).wrapping_add(1)))),
    ("sub", |a| arith(a, |x, y| Some(x.wrapping_sub(y)))),
    ("div", |a| arith(a, i64::checked_div)),
    ("mod", |a| arith(a, i64::checked_rem)),
    ("mul", |a| {
        Ok(Value::Int(a.iter().map(int_of).fold(1, i64::wrapping_mul)))
    }),
    ("max", |a| extreme(a, std::cmp::max)),
    ("min", |a| extreme(a, std::cmp::min)),
    ("until", until),
    ("list", |a| Ok(Value::List(a.to_vec().into()))),
    ("first", |a| {
        Ok(list_items(one(a)?).first().cloned().unwrap_or(Value::Nil))
    }),
    ("last", |a| {
        Ok(list_items(one(a)?).last().cloned().unwrap_or(Value::Nil))
    }),
    ("dict", dict),
    ("get", get),
    ("hasKey", has_key),
    ("keys", keys),
    ("toJson", |a| {
        Ok(Value::String(json_of(one(a)?).to_string().into()))
    }),
    ("fail", |a| Err(text_of(one(a)?))),
];

/// Every function acrt registers, with `now` the time the render started.
pub fn functions(now: DateTime<Utc>) -> Vec<(&'static str, ValueFunc)> {
    let mut out: Vec<(&'static str, ValueFunc)> = PURE
        .iter()
        .map(|(name, f)| (*name, wrap(name, *f)))
        .collect();
    let clock = Clock { now };
    let timed: [(&'static str, ValueFunc); 6] = [
        (
            "now",
            Arc::new(move |a: &[Value]| {
                arity("now", a, 0)?;
                Ok(Value::String(go_time::go_string(now).into()))
            }),
        ),
        ("date", timed("date", clock, Clock::date)),
        (
            "dateInZone",
            timed("dateInZone", clock, Clock::date_in_zone),
        ),
        (
            "date_in_zone",
            timed("date_in_zone", clock, Clock::date_in_zone),
        ),
        ("htmlDate", timed("htmlDate", clock, Clock::html_date)),
        ("unixEpoch", timed("unixEpoch", clock, Clock::unix_epoch)),
    ];
    out.extend(timed);
    out
}

/// Every name a template may call: Go's builtins and acrt's functions.
pub fn is_known(name: &str) -> bool {
    GO_BUILTINS.contains(&name)
        || PURE.iter().any(|(n, _)| *n == name)
        || [
            "now",
            "date",
            "dateInZone",
            "date_in_zone",
            "htmlDate",
            "unixEpoch",
        ]
        .contains(&name)
}

fn wrap(name: &'static str, f: Func) -> ValueFunc {
    Arc::new(move |args: &[Value]| f(args).map_err(|m| exec_error(name, &m)))
}

fn timed(name: &'static str, clock: Clock, f: fn(&Clock, &[Value]) -> FuncResult) -> ValueFunc {
    Arc::new(move |args: &[Value]| f(&clock, args).map_err(|m| exec_error(name, &m)))
}

fn exec_error(name: &str, message: &str) -> TemplateError {
    TemplateError::Exec(format!("error calling {name}: {message}"))
}

fn arity(name: &str, args: &[Value], n: usize) -> gotmpl::Result<()> {
    if args.len() == n {
        Ok(())
    } else {
        Err(exec_error(
            name,
            &format!("wrong number of arguments: want {n}, got {}", args.len()),
        ))
    }
}

#[derive(Clone, Copy)]
struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    /// A time argument: a time `now` gave, or Unix seconds; anything else is now (as sprig).
    fn time_of(&self, v: &Value) -> DateTime<Utc> {
        let from_secs = |s: i64| DateTime::from_timestamp(s, 0);
        match v {
            Value::Int(s) => from_secs(*s),
            Value::Uint(s) => i64::try_from(*s).ok().and_then(from_secs),
            Value::Float(s) => from_secs(*s as i64),
            Value::String(s) => go_time::parse_go_string(s),
            _ => None,
        }
        .unwrap_or(self.now)
    }

    fn date(&self, a: &[Value]) -> FuncResult {
        let [layout, t] = exactly(a)?;
        Ok(self.formatted(layout, t))
    }

    fn date_in_zone(&self, a: &[Value]) -> FuncResult {
        let [layout, t, zone] = exactly(a)?;
        match text_of(zone).as_str() {
            "UTC" | "Local" | "" => Ok(self.formatted(layout, t)),
            _ => Err("acrt knows only the zone UTC (acrt renders every time in UTC)".into()),
        }
    }

    fn html_date(&self, a: &[Value]) -> FuncResult {
        let [t] = exactly(a)?;
        Ok(Value::String(
            go_time::format_layout(self.time_of(t), "2006-01-02").into(),
        ))
    }

    fn unix_epoch(&self, a: &[Value]) -> FuncResult {
        let [t] = exactly(a)?;
        Ok(Value::String(
            self.time_of(t).timestamp().to_string().into(),
        ))
    }

    fn formatted(&self, layout: &Value, t: &Value) -> Value {
        Value::String(go_time::format_layout(self.time_of(t), &text_of(layout)).into())
    }
}

/// The arguments, when there are exactly `N`.
fn exactly<const N: usize>(args: &[Value]) -> Result<&[Value; N], String> {
    args.try_into()
        .map_err(|_| format!("wrong number of arguments: want {N}, got {}", args.len()))
}

fn one(args: &[Value]) -> Result<&Value, String> {
    exactly::<1>(args).map(|[v]| v)
}

/// A value as a string argument: a missing value (nil) is "", a number or bool is refused
/// (as Go refuses to pass one where a function takes a string).
fn string_value(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.to_string()),
        Value::Nil => Ok(String::new()),
        other => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
    }
}

/// A value as `fmt.Sprint` writes it, with a missing value as "".
fn text_of(v: &Value) -> String {
    match v {
        Value::Nil => String::new(),
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// A value as Go's `fmt.Sprint` writes it, nil as `<nil>`.
fn go_sprint(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Uint(u) => i64::try_from(*u).unwrap_or(i64::MAX),
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

fn string1(a: &[Value], f: impl Fn(&str) -> String) -> FuncResult {
    let s = string_value(one(a)?)?;
    Ok(Value::String(f(&s).into()))
}

fn string2(a: &[Value], f: impl Fn(&str, &str) -> String) -> FuncResult {
    let [x, y] = exactly(a)?;
    Ok(Value::String(
        f(&string_value(x)?, &string_value(y)?).into(),
    ))
}

fn bool2(a: &[Value], f: impl Fn(&str, &str) -> bool) -> FuncResult {
    let [x, y] = exactly(a)?;
    Ok(Value::Bool(f(&string_value(x)?, &string_value(y)?)))
}

/// The non-nil arguments, each written by `f`, joined by spaces.
fn joined(a: &[Value], f: impl Fn(&Value) -> String) -> Value {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(f)
        .collect();
    Value::String(parts.join(" ").into())
}

/// Go's `strings.Title`: each letter after a separator upper-cased.
fn title(s: &str) -> String {
    let mut previous_separates = true;
    s.chars()
        .map(|c| {
            let out = if previous_separates {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            };
            previous_separates = !(c.is_alphanumeric() || c == '_');
            out
        })
        .collect()
}

fn untitle(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn trim_all(a: &[Value]) -> FuncResult {
    string2(a, |cut, s| s.trim_matches(|c| cut.contains(c)).to_string())
}

fn replace(a: &[Value]) -> FuncResult {
    let [old, new, s] = exactly(a)?;
    let (old, new, s) = (string_value(old)?, string_value(new)?, string_value(s)?);
    Ok(Value::String(s.replace(&old, &new).into()))
}

/// `substr START END s`, in characters: a negative start reads from the beginning, an end
/// past the string (or negative) reads to its end.
fn substr(a: &[Value]) -> FuncResult {
    let [start, end, s] = exactly(a)?;
    let chars: Vec<char> = string_value(s)?.chars().collect();
    let len = chars.len() as i64;
    let (start, end) = (int_of(start), int_of(end));
    let to = if end < 0 || end > len { len } else { end };
    let from = start.clamp(0, len).min(to);
    Ok(Value::String(
        chars[from as usize..to as usize]
            .iter()
            .collect::<String>()
            .into(),
    ))
}

/// `trunc N s`: the first N characters, or with a negative N the last -N.
fn trunc(a: &[Value]) -> FuncResult {
    let [n, s] = exactly(a)?;
    let chars: Vec<char> = string_value(s)?.chars().collect();
    let n = int_of(n);
    let len = chars.len() as i64;
    let kept = if n >= 0 {
        &chars[..n.min(len) as usize]
    } else {
        &chars[(len + n).max(0) as usize..]
    };
    Ok(Value::String(kept.iter().collect::<String>().into()))
}

/// `repeat N s`; a length that would not fit in memory is refused.
fn repeat(a: &[Value]) -> FuncResult {
    const LIMIT: usize = 1 << 20;
    let [n, s] = exactly(a)?;
    let s = string_value(s)?;
    let n = usize::try_from(int_of(n)).map_err(|_| "negative repeat count".to_string())?;
    if n.saturating_mul(s.len()) > LIMIT {
        return Err(format!("the result would be longer than {LIMIT} bytes"));
    }
    Ok(Value::String(s.repeat(n).into()))
}

fn indent(a: &[Value], newline_first: bool) -> FuncResult {
    let [n, s] = exactly(a)?;
    let pad = " ".repeat(usize::try_from(int_of(n)).unwrap_or(0).min(1024));
    let body = format!(
        "{pad}{}",
        string_value(s)?.replace('\n', &format!("\n{pad}"))
    );
    let out = if newline_first {
        format!("\n{body}")
    } else {
        body
    };
    Ok(Value::String(out.into()))
}

fn split_list(a: &[Value]) -> FuncResult {
    let [sep, s] = exactly(a)?;
    let (sep, s) = (string_value(sep)?, string_value(s)?);
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars()
            .map(|c| Value::String(c.to_string().into()))
            .collect()
    } else {
        s.split(sep.as_str())
            .map(|p| Value::String(p.into()))
            .collect()
    };
    Ok(Value::List(parts.into()))
}

/// The items of a list; a single value is a list of itself, nil an empty one.
fn list_items(v: &Value) -> Vec<Value> {
    match v {
        Value::List(items) => items.to_vec(),
        Value::Nil => Vec::new(),
        other => vec![other.clone()],
    }
}

fn join(a: &[Value]) -> FuncResult {
    let [sep, list] = exactly(a)?;
    let sep = string_value(sep)?;
    let parts: Vec<String> = list_items(list)
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(go_sprint)
        .collect();
    Ok(Value::String(parts.join(&sep).into()))
}

/// `default D x`: x, unless it is missing or empty.
fn default(a: &[Value]) -> FuncResult {
    match a {
        [d] => Ok(d.clone()),
        [d, given, ..] => Ok(if given.is_truthy() {
            given.clone()
        } else {
            d.clone()
        }),
        [] => Err("wrong number of arguments: want at least 1, got 0".into()),
    }
}

fn ternary(a: &[Value]) -> FuncResult {
    let [yes, no, condition] = exactly(a)?;
    Ok(if condition.is_truthy() { yes } else { no }.clone())
}

/// As Go's base64 decoding (trailing bits allowed); on bad input, sprig returns the error's
/// text instead of failing, and so does acrt.
fn b64dec(s: &str) -> String {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    match engine.decode(s) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(base64::DecodeError::InvalidByte(at, _)) => {
            format!("illegal base64 data at input byte {at}")
        }
        Err(_) => format!("illegal base64 data at input byte {}", s.len()),
    }
}

fn arith(a: &[Value], f: fn(i64, i64) -> Option<i64>) -> FuncResult {
    let [x, y] = exactly(a)?;
    f(int_of(x), int_of(y))
        .map(Value::Int)
        .ok_or_else(|| "integer divide by zero".into())
}

fn extreme(a: &[Value], pick: fn(i64, i64) -> i64) -> FuncResult {
    let (first, rest) = a
        .split_first()
        .ok_or("wrong number of arguments: want at least 1, got 0")?;
    Ok(Value::Int(
        rest.iter().map(int_of).fold(int_of(first), pick),
    ))
}

fn until(a: &[Value]) -> FuncResult {
    const LIMIT: i64 = 100_000;
    let n = int_of(one(a)?);
    if n.abs() > LIMIT {
        return Err(format!("a list longer than {LIMIT} items"));
    }
    let items: Vec<Value> = if n >= 0 {
        (0..n).map(Value::Int).collect()
    } else {
        (n + 1..=0).rev().map(Value::Int).collect()
    };
    Ok(Value::List(items.into()))
}

fn map_of(v: &Value) -> Result<&BTreeMap<Arc<str>, Value>, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!(
            "wrong type for value; expected map; got {}",
            other.type_name()
        )),
    }
}

/// `dict k1 v1 k2 v2 ...`; a key without a value maps to "".
fn dict(a: &[Value]) -> FuncResult {
    let map: BTreeMap<Arc<str>, Value> = a
        .chunks(2)
        .map(|pair| {
            let value = pair.get(1).cloned().unwrap_or(Value::String("".into()));
            (Arc::from(go_sprint(&pair[0])), value)
        })
        .collect();
    Ok(Value::Map(map.into()))
}

fn get(a: &[Value]) -> FuncResult {
    let [m, k] = exactly(a)?;
    let key = string_value(k)?;
    Ok(map_of(m)?
        .get(key.as_str())
        .cloned()
        .unwrap_or(Value::String("".into())))
}

fn has_key(a: &[Value]) -> FuncResult {
    let [m, k] = exactly(a)?;
    let key = string_value(k)?;
    Ok(Value::Bool(map_of(m)?.contains_key(key.as_str())))
}

fn keys(a: &[Value]) -> FuncResult {
    let mut out = Vec::new();
    for m in a {
        out.extend(map_of(m)?.keys().map(|k| Value::String(k.clone())));
    }
    Ok(Value::List(out.into()))
}

fn json_of(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Nil | Value::Function(_) => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Uint(u) => J::from(*u),
        Value::Float(f) => J::from(*f),
        Value::String(s) => J::String(s.to_string()),
        Value::List(items) => J::Array(items.iter().map(json_of).collect()),
        Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.to_string(), json_of(v))).collect()),
    }
}

/// A string as Go's `%q` writes it.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
