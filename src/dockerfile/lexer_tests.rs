//! The shell lexer against BuildKit's documented behaviour.

use super::lexer::*;

fn vars() -> Vec<(String, String)> {
    [
        ("V", "linux/arm64/v8"),
        ("EMPTY", ""),
        ("TAG", "1.22-alpine"),
        ("NAME", "app"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn x(word: &str) -> String {
    expand_word(word, '\\', vars().as_slice()).unwrap()
}

#[test]
fn the_forms_bash_and_buildkit_share() {
    assert_eq!(x("$NAME-${NAME}"), "app-app");
    assert_eq!(x("${UNSET:-d}|${EMPTY:-d}|${EMPTY-d}|${UNSET-d}"), "d|d||d");
    assert_eq!(
        x("${NAME:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}"),
        "alt||alt|"
    );
    assert_eq!(
        x("${V#*/}|${V##*/}|${V%/*}|${V%%/*}"),
        "arm64/v8|v8|linux/arm64|linux"
    );
    assert_eq!(
        x("${TAG/-/_}|${V//\\//-}|${V/arm??/amd64}"),
        "1.22_alpine|linux-arm64-v8|linux/amd64/v8"
    );
    assert_eq!(x("${UNSET:-${NAME:-x}}:${TAG%-*}"), "app:1.22");
    assert_eq!(x("'$NAME'\"$NAME\"\\$NAME"), "$NAMEapp$NAME");
    assert_eq!(x("a\\ b\"c\\\"d\\e\""), "a bc\"d\\e");
    assert_eq!(x("$ $1x ${NAME}"), "$ x app");
}

#[test]
fn errors_are_errors() {
    let err = |w: &str| expand_word(w, '\\', vars().as_slice()).unwrap_err();
    assert!(err("${UNSET:?set it}").contains("UNSET: set it"));
    assert!(err("${UNSET?}").contains("is not allowed to be unset"));
    assert!(err("${EMPTY:?}").contains("is not allowed to be empty"));
    assert_eq!(x("${EMPTY?}"), "");
    assert!(err("${NAME").contains("missing '}'"));
    assert!(err("${}").contains("bad substitution"));
    assert!(err("${NAME:#x}").contains("unsupported modifier"));
    assert!(err("'open").contains("single-quote"));
}

#[test]
fn a_backtick_escape_leaves_backslashes_alone() {
    let v = vars();
    assert_eq!(
        expand_word("c:\\dir`$NAME", '`', v.as_slice()).unwrap(),
        "c:\\dir$NAME"
    );
    assert!(has_expansion("$X", '\\') && !has_expansion("stage-1", '\\'));
}

#[test]
fn deep_nesting_and_many_stars_stay_cheap() {
    let empty: &[(String, String)] = &[];
    let deep = format!("{}x{}", "${A:-".repeat(10_000), "}".repeat(10_000));
    assert!(
        expand_word(&deep, '\\', empty)
            .unwrap_err()
            .contains("nested")
    );
    let vars = vec![("V".to_string(), "a".repeat(2_000))];
    let stars = format!("${{V#{}b}}", "*a".repeat(200));
    let started = std::time::Instant::now();
    assert_eq!(
        expand_word(&stars, '\\', vars.as_slice()).unwrap().len(),
        2_000
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
