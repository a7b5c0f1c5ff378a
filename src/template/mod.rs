//! Templates in task files, image names and arguments, rendered as acr-builder renders them:
//! Go's text/template (the `gotmpl` crate), with the sprig functions of [`sprig`], over a
//! root of `.Run.*`, `.Values.*`, `.Secrets.*`, `.Build.ID` (ACR's old name for the run ID),
//! `.RunJSON` and `.ValuesJSON`. A missing key renders as "" (acr-builder's
//! `missingkey=zero`, with Go's `<no value>` removed from the output).
//!
//! What an action computes from a secret (`{{ .Secrets.s | b64enc }}`) is itself a secret:
//! [`render_tracked`] reports every such output (see [`taint`]) so that the run masks it too.
//! An error names the line of the text it comes from and quotes that line only.

mod go_time;
mod sprig;
mod syntax;
mod taint;
mod trace;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use gotmpl::{FuncMap, MissingKey, Template, TemplateError, Value};

use crate::error::{Result, invalid};
use trace::{SharedTrace, Trace, TraceWriter};

pub use syntax::yaml_stand_in;

#[derive(Debug, Clone, Default)]
pub struct TemplateContext {
    /// ID, Registry, RegistryName, Date, OS, Architecture, Commit, Branch, TaskName, SharedVolume.
    pub run: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, String>,
    /// The names of `values` that are secret (`--set-secret`).
    pub secret_values: BTreeSet<String>,
}

/// A rendered text and the values in it that were computed from a secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub derived_secrets: Vec<String>,
}

/// The most `range` iterations one render may make, all loops together.
const MAX_RANGE_ITERATIONS: u64 = 1_000_000;

/// The name the text is parsed under (a `{{define}}` of it would replace the text).
const MAIN: &str = "acrt-template";

pub fn render(text: &str, ctx: &TemplateContext) -> Result<String> {
    let trace = execute_with(text, ctx, Utc::now())?;
    Ok(taint::no_value_removed(&trace.out))
}

/// Renders `text`, reporting each action's output that a secret went into (a secret of
/// `.Secrets` or a secret value), through any functions, variables or control flow.
pub fn render_tracked(text: &str, ctx: &TemplateContext) -> Result<Rendered> {
    // One clock for both renders: `now` must not tell them apart.
    let now = Utc::now();
    let real = execute_with(text, ctx, now)?;
    let real_outputs = taint::Outputs {
        text: &real.out,
        spans: &real.spans,
    };
    let derived_secrets = if !has_secrets(ctx) {
        Vec::new()
    } else {
        let other = execute(text, &root(&with_stand_ins(ctx)), now).ok();
        let other_outputs = other.as_ref().map(|t| taint::Outputs {
            text: &t.out,
            spans: &t.spans,
        });
        taint::derived(&real_outputs, other_outputs.as_ref())
    };
    Ok(Rendered {
        text: taint::no_value_removed(&real.out),
        derived_secrets,
    })
}

/// `text` with each comment line (`#` its first non-blank character) left blank, as
/// acr-builder drops them before rendering a task file; blank, so line numbers hold.
pub fn comment_lines_blanked(text: &str) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| {
            if line.trim_start().starts_with('#') {
                ""
            } else {
                line
            }
        })
        .collect();
    lines.join("\n")
}

fn has_secrets(ctx: &TemplateContext) -> bool {
    !(ctx.secrets.is_empty() && ctx.secret_values.is_empty())
}

/// Renders `text` with `ctx`. A failure's message may quote a value the failing action
/// computed (Go's "cannot range over ..."), which the caller's mask does not know when it
/// came from a secret: a message that changes when the secrets do is not shown.
fn execute_with(text: &str, ctx: &TemplateContext, now: DateTime<Utc>) -> Result<Trace> {
    let failure = match execute(text, &root(ctx), now) {
        Ok(trace) => return Ok(trace),
        Err(failure) => failure,
    };
    if has_secrets(ctx) {
        let other = execute(text, &root(&with_stand_ins(ctx)), now).err();
        if other.as_ref().map(|o| &o.message) != Some(&failure.message) {
            let hidden = Failure::at(
                failure.line,
                "an action failed on a value computed from a secret (its message would show \
                 the value)",
            );
            return Err(hidden.located(text));
        }
    }
    Err(failure.located(text))
}

/// A render that failed: the message, and the line of the action it comes from (0 when
/// not known).
struct Failure {
    line: usize,
    message: String,
}

impl Failure {
    fn at(line: usize, message: impl Into<String>) -> Failure {
        Failure {
            line,
            message: message.into(),
        }
    }

    fn located(&self, text: &str) -> anyhow::Error {
        located(text, self.line, &self.message)
    }
}

/// `ctx` with every secret and secret value replaced by its stand-in.
fn with_stand_ins(ctx: &TemplateContext) -> TemplateContext {
    let mut other = ctx.clone();
    for value in other.secrets.values_mut() {
        *value = taint::stand_in(value);
    }
    for name in &ctx.secret_values {
        if let Some(value) = other.values.get_mut(name) {
            *value = taint::stand_in(value);
        }
    }
    other
}

/// The root object a template reads, as acr-builder builds it.
fn root(ctx: &TemplateContext) -> Value {
    let strings = |map: &BTreeMap<String, String>| {
        let m: BTreeMap<String, Value> = map
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.as_str().into())))
            .collect();
        Value::from(m)
    };
    let json = |map: &BTreeMap<String, String>| {
        let text = serde_json::to_string(map).unwrap_or_default();
        Value::String(shell_quote(&text).into())
    };
    let run_id = ctx.run.get("ID").cloned().unwrap_or_default();
    let build = BTreeMap::from([("ID".to_string(), Value::String(run_id.into()))]);
    Value::from(BTreeMap::from([
        ("Run".to_string(), strings(&ctx.run)),
        ("Build".to_string(), Value::from(build)),
        ("Values".to_string(), strings(&ctx.values)),
        ("Secrets".to_string(), strings(&ctx.secrets)),
        ("RunJSON".to_string(), json(&ctx.run)),
        ("ValuesJSON".to_string(), json(&ctx.values)),
    ]))
}

/// acr-builder's quoting of `.RunJSON` and `.ValuesJSON` for a shell: in single quotes
/// unless every character is one a shell word may hold as it is.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_^@=+%,:./-".contains(c);
    if text.is_empty() {
        "''".to_string()
    } else if text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\"'\"'"))
    }
}

/// Parses `text` with acrt's functions, checks that it calls none other, and renders it
/// with `data`, recording what [`trace`] observes.
fn execute(text: &str, data: &Value, now: DateTime<Utc>) -> std::result::Result<Trace, Failure> {
    let shared: SharedTrace = Arc::new(Mutex::new(Trace::default()));
    let template = parse(text, now, &shared)?;
    let mut writer = TraceWriter(shared.clone());
    let result = if template.lookup(MAIN).is_some() {
        template.execute_template_fmt(&mut writer, MAIN, data)
    } else {
        // A text with no action at all (its tree is empty, so it is not stored by name).
        template.execute_fmt(&mut writer, data)
    };
    drop(writer);
    let trace = std::mem::take(&mut *shared.lock().unwrap_or_else(PoisonError::into_inner));
    match result {
        Ok(()) => Ok(trace),
        Err(_) if trace.too_long => Err(Failure::at(
            trace.line,
            format!(
                "the rendered text would be longer than {} MiB",
                trace::MAX_OUTPUT >> 20
            ),
        )),
        Err(e) => Err(Failure {
            line: trace.line,
            message: runtime_message(&e),
        }),
    }
}

/// Whether `text`'s templates parse and call only functions acrt has.
fn check(text: &str) -> Result<()> {
    parse(text, Utc::now(), &SharedTrace::default())
        .map(|_| ())
        .map_err(|f| f.located(text))
}

/// `text` parsed with acrt's functions and the markers of [`trace`] in place.
fn parse(
    text: &str,
    now: DateTime<Utc>,
    shared: &SharedTrace,
) -> std::result::Result<Template, Failure> {
    let funcs: FuncMap = sprig::functions(now)
        .into_iter()
        .chain(trace::marker_functions(shared))
        .map(|(name, f)| (name.to_string(), f))
        .collect();
    syntax::check_blocks(text)?;
    let mut template = Template::new(MAIN)
        .missing_key(MissingKey::ZeroValue)
        .max_range_iters(MAX_RANGE_ITERATIONS)
        .funcs(funcs)
        .parse(text)
        .map_err(|e| parse_failure(&e))?;
    let names: Vec<String> = template.templates().into_iter().map(String::from).collect();
    let mut next = 0;
    for name in names {
        let Some(tree) = template.lookup(&name).cloned() else {
            continue;
        };
        if let Some((function, line)) = trace::first_unknown_function(&tree, &sprig::is_known) {
            return Err(Failure {
                line,
                message: unknown_function(&function),
            });
        }
        template = template.add_parse_tree(&name, trace::instrument(&tree, &mut next));
    }
    Ok(template)
}

fn unknown_function(name: &str) -> String {
    if let Some((_, why)) = sprig::REFUSED.iter().find(|(n, _)| *n == name) {
        format!("function \"{name}\" is refused: {why}")
    } else if sprig::NOT_IMPLEMENTED.contains(&name) || trace::is_marker(name) {
        format!(
            "function \"{name}\" is not one acrt implements (acrt has Go's template functions \
             and sprig's string, default, encoding, date, number, list and dict functions)"
        )
    } else {
        format!(
            "function \"{name}\" not defined (acrt has Go's template functions and sprig's \
             string, default, encoding, date, number, list and dict functions)"
        )
    }
}

fn parse_failure(e: &TemplateError) -> Failure {
    match e {
        TemplateError::Parse { line, message, .. } | TemplateError::Lex { line, message, .. } => {
            Failure {
                line: *line,
                message: message.clone(),
            }
        }
        other => Failure {
            line: 0,
            message: other.to_string(),
        },
    }
}

fn runtime_message(e: &TemplateError) -> String {
    match e {
        TemplateError::Exec(message) => message.clone(),
        other => other.to_string(),
    }
}

/// An error at `line` of `text` (1-based; 0 when not known), quoting that line only.
fn located(text: &str, line: usize, message: &str) -> anyhow::Error {
    let quoted = line
        .checked_sub(1)
        .and_then(|i| text.split('\n').nth(i))
        .map(|l| l.trim_end_matches('\r'));
    match quoted {
        Some(quoted) => invalid(format!(
            "template, line {line}: {message}\n{line} | {quoted}"
        )),
        None => invalid(format!("template: {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TemplateContext {
        let mut c = TemplateContext::default();
        c.run.insert("ID".into(), "da1".into());
        c.run.insert("Registry".into(), "localhost:5000".into());
        c.values.insert("name".into(), "World".into());
        c
    }

    #[test]
    fn renders_run_variables_values_and_missing_keys() {
        let c = ctx();
        assert_eq!(render("hello:{{.Run.ID}}", &c).unwrap(), "hello:da1");
        assert_eq!(render("hello:{{ .Build.ID }}", &c).unwrap(), "hello:da1");
        assert_eq!(
            render("{{ .Run.Registry }}/x:{{.Values.name}}", &c).unwrap(),
            "localhost:5000/x:World"
        );
        assert_eq!(render("a{{.Values.missing}}b", &c).unwrap(), "ab");
        assert_eq!(render("no templates", &c).unwrap(), "no templates");
    }

    #[test]
    fn pipes() {
        let c = ctx();
        assert_eq!(render("{{ .Values.name | upper }}", &c).unwrap(), "WORLD");
        assert_eq!(
            render("{{ .Values.none | default \"x|y\" }}", &c).unwrap(),
            "x|y"
        );
        assert_eq!(
            render("{{ .Values.name | b64enc | b64dec | quote }}", &c).unwrap(),
            "\"World\""
        );
        assert!(render("{{ .Values.name | frobnicate }}", &c).is_err());
        assert!(render("{{ .Values.name", &c).is_err());
        assert!(render("{{ Values.name }}", &c).is_err());
    }

    #[test]
    fn values_computed_from_a_secret_are_reported() {
        let mut c = ctx();
        c.secrets.insert("s".into(), "hunter22".into());
        c.values.insert("pw".into(), "opensesame".into());
        c.secret_values.insert("pw".into());
        let r = render_tracked(
            "u={{.Secrets.s | b64enc}} q={{ .Secrets.s | quote }} d={{ .Values.none | default .Secrets.s | upper }} \
             p={{.Values.pw | b64enc}} n={{.Values.name | upper}} r={{.Run.ID}}",
            &c,
        )
        .unwrap();
        assert_eq!(
            r.derived_secrets,
            [
                "aHVudGVyMjI=",
                "\"hunter22\"",
                "HUNTER22",
                "b3BlbnNlc2FtZQ=="
            ]
        );
        assert!(r.text.contains("n=WORLD r=da1"));
    }

    fn with_secrets() -> TemplateContext {
        let mut c = ctx();
        c.secrets.insert("s".into(), "hunter22".into());
        c.secrets.insert("registry-user".into(), "admin-bob".into());
        c
    }

    #[test]
    fn secrets_through_variables_index_range_printf_and_cutting_are_reported() {
        let c = with_secrets();
        let r = render_tracked(
            "{{ $p := .Secrets.s }}v={{ $p | b64enc }}\n\
             i={{ index .Secrets \"registry-user\" }}\n\
             {{ range $i, $c := splitList \"-\" (index .Secrets \"registry-user\") }}r={{ $c | upper }};{{ end }}\n\
             f={{ printf \"user=%s!\" .Secrets.s }}\n\
             t={{ .Secrets.s | trunc 5 }} s={{ substr 1 6 .Secrets.s }}\n\
             h={{ .Secrets.s | sha256sum | trunc 12 }} l={{ len .Secrets.s }} id={{ .Run.ID }}",
            &c,
        )
        .unwrap();
        assert_eq!(
            r.derived_secrets,
            [
                "aHVudGVyMjI=",
                "admin-bob",
                "ADMIN",
                "BOB",
                "user=hunter22!",
                "hunte",
                "unter",
                &r.text[r.text.find("h=").unwrap() + 2..][..12],
            ]
        );
        assert!(r.text.contains("l=8 id=da1"), "{}", r.text);
    }

    #[test]
    fn a_file_that_branches_on_a_secret_has_every_computed_value_reported() {
        let c = with_secrets();
        let r = render_tracked(
            "{{ if eq .Secrets.s \"hunter22\" }}yes {{ .Run.ID }}{{ else }}no{{ end }} {{ .Values.name }}",
            &c,
        )
        .unwrap();
        assert_eq!(r.text, "yes da1 World");
        assert_eq!(r.derived_secrets, ["da1", "World"]);
    }

    #[test]
    fn go_template_syntax_and_sprig_functions() {
        let mut c = ctx();
        c.run.insert(
            "Commit".into(),
            "0123456789abcdef0123456789abcdef01234567".into(),
        );
        let cases = [
            ("{{.Run.Commit | substr 0 7}}", "0123456"),
            ("{{ $v := \"3.23\" }}alpine:{{ $v }}", "alpine:3.23"),
            ("{{if .Values.name}}a{{else}}b{{end}}", "a"),
            (
                "{{if .Values.none}}a{{else if eq .Run.ID \"da1\"}}c{{else}}b{{end}}",
                "c",
            ),
            (
                "{{range $i, $x := list \"a\" \"b\"}}{{$i}}={{$x}} {{end}}",
                "0=a 1=b ",
            ),
            ("a  {{- \"b\" -}}  c", "abc"),
            (
                "{{ .Date }}|{{ .Run.Nope }}|{{ index .Values \"x-y\" }}|{{ .Values.none }}",
                "|||",
            ),
            (
                "{{ .Values.none | default \"d\" | upper | quote }}",
                "\"D\"",
            ),
            (
                "{{ \"a b\" | title }} {{ \"x\" | repeat 3 }} {{ \"  y \" | trim | squote }}",
                "A B xxx 'y'",
            ),
            (
                "{{ \"a,b\" | splitList \",\" | join \"+\" }} {{ cat \"a\" 1 }} {{ \"ab\" | nindent 2 }}",
                "a+b a 1 \n  ab",
            ),
            (
                "{{ add 1 2 }} {{ sub 5 3 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ atoi \"12\" | add1 }}",
                "3 2 6 3 1 13",
            ),
            (
                "{{ $d := dict \"k\" \"v\" }}{{ get $d \"k\" }} {{ hasKey $d \"k\" }} {{ keys $d }}",
                "v true [k]",
            ),
            (
                "{{ ternary \"y\" \"n\" true }} {{ empty \"\" }} {{ coalesce \"\" \"z\" }}",
                "y true z",
            ),
            (
                "{{ trimPrefix \"v\" \"v1\" }} {{ trimSuffix \".0\" \"1.0\" }} {{ trimAll \"-\" \"-x-\" }} {{ contains \"b\" \"abc\" }}",
                "1 1 x true",
            ),
            (
                "{{ \"abc\" | sha256sum | trunc 8 }} {{ \"a b\" | nospace }} {{ replace \"a\" \"o\" \"banana\" }}",
                "ba7816bf ab bonono",
            ),
            (
                "{{ printf \"%s-%d\" .Run.ID 7 }} {{ .Build.ID }}",
                "da1-7 da1",
            ),
            (
                "{{ 0 | date \"2006-01-02\" }} {{ 86400 | unixEpoch }}",
                "1970-01-01 86400",
            ),
            ("# {{ not a template }}", "# {{ not a template }}"),
        ];
        for (text, want) in cases {
            let text = comment_lines_blanked(text);
            let want = if text.is_empty() { "" } else { want };
            assert_eq!(render(&text, &c).unwrap(), want, "{text}");
        }
        let year = render("{{ now | date \"2006\" }}", &c).unwrap();
        assert_eq!(year, Utc::now().format("%Y").to_string());
    }

    #[test]
    fn an_error_quotes_only_its_line() {
        let c = ctx();
        let text = "version: v1.1.0\nsteps:\n  - cmd: x:{{ .Run.ID | frobnicate }}\n  - cmd: y\n";
        let err = render(text, &c).unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("frobnicate"),
            "{err}"
        );
        assert!(
            err.contains("3 |   - cmd: x:{{ .Run.ID | frobnicate }}"),
            "{err}"
        );
        assert!(!err.contains("version") && !err.contains("cmd: y"), "{err}");
        let err = render("a\nb {{ div 1 0 }}\nc", &c).unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("divide by zero"),
            "{err}"
        );
        let err = render("a\n{{ if .X }}\nb", &c).unwrap_err().to_string();
        assert!(err.contains("line ") && !err.contains("\na\n"), "{err}");
        let err = render("{{ env \"HOME\" }}", &c).unwrap_err().to_string();
        assert!(err.contains("environment"), "{err}");
        let err = render("{{ acrt_trace_leave }}", &c)
            .unwrap_err()
            .to_string();
        assert!(err.contains("acrt_trace_leave"), "{err}");
    }

    #[test]
    fn an_error_message_computed_from_a_secret_is_not_shown() {
        let c = with_secrets();
        let err = render_tracked("a\n{{ .Secrets.s | b64enc | fail }}", &c)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && !err.contains("aHVudGVyMjI"),
            "{err}"
        );
        assert!(err.contains("computed from a secret"), "{err}");
        let err = render_tracked("{{ div 1 0 }}", &c).unwrap_err().to_string();
        assert!(err.contains("divide by zero"), "{err}");
    }

    #[test]
    fn a_render_cannot_loop_or_grow_without_end() {
        let c = ctx();
        let err = render(
            "{{ range until 100000 }}{{ \"x\" | repeat 1000 }}{{ end }}",
            &c,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("longer than 16 MiB"), "{err}");
        let err = render(
            "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}",
            &c,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("range"), "{err}");
    }
}
