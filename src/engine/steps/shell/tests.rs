use super::*;

fn env() -> Vec<(String, String)> {
    vec![
        ("X".into(), "one two".into()),
        ("E".into(), String::new()),
        ("OUT".into(), "sbom.json".into()),
    ]
}

fn words(text: &str) -> Vec<Vec<String>> {
    parse(text, &env())
        .unwrap()
        .commands
        .into_iter()
        .map(|(_, c)| c.words)
        .collect()
}

fn conditions(text: &str) -> Vec<Condition> {
    parse(text, &env())
        .unwrap()
        .commands
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

fn streams(text: &str) -> Streams {
    parse(text, &env()).unwrap().commands.remove(0).1.streams
}

fn refusal(text: &str) -> String {
    parse(text, &env()).unwrap_err()
}

#[test]
fn quotes_escapes_and_continuations_are_removed_as_sh_does() {
    assert_eq!(
        words(r#"img sh -c "echo a b" 'c d' "" a\ b "x\"y" 'it''s'"#),
        [vec![
            "img", "sh", "-c", "echo a b", "c d", "", "a b", "x\"y", "its"
        ]]
    );
    assert_eq!(words("img a \\\n  b"), [vec!["img", "a", "b"]]);
    assert_eq!(words("img a # a comment"), [vec!["img", "a"]]);
    assert_eq!(words(r#"img "a\b" "\$X""#), [vec!["img", "a\\b", "$X"]]);
    assert_eq!(
        words("img '$X' \"{a,b}\" *.txt"),
        [vec!["img", "$X", "{a,b}", "*.txt"]]
    );
}

#[test]
fn variables_come_from_the_step_env_only() {
    // SAFETY: a test-only variable no other test reads.
    unsafe { std::env::set_var("ACRT_SHELL_UNIT_HOST", "from-host") };
    assert_eq!(
        words("img $X \"$X\" ${X}s $E \"$E\" $ACRT_SHELL_UNIT_HOST ${#X}"),
        [vec!["img", "one", "two", "one two", "one", "twos", "", "7"]]
    );
    assert_eq!(
        words("img ${E:-dflt} ${X:+alt} ${NONE-unset} ${E-set-but-empty}"),
        [vec!["img", "dflt", "alt", "unset"]]
    );
    assert_eq!(words("img a$X"), [vec!["img", "aone", "two"]]);
}

#[test]
fn lists_keep_their_order_and_conditions() {
    assert_eq!(
        conditions("img a || true; img b && img c\nimg d"),
        [
            Condition::Always,
            Condition::IfFailed,
            Condition::Always,
            Condition::IfSucceeded,
            Condition::Always
        ]
    );
    assert_eq!(
        words("img a && img b"),
        [vec!["img", "a"], vec!["img", "b"]]
    );
}

#[test]
fn output_goes_to_null_a_workspace_file_or_the_other_stream() {
    let file = |p: &str, append| Sink::File {
        path: p.into(),
        append,
    };
    assert_eq!(streams("img > /dev/null").stdout, Sink::Null);
    assert_eq!(streams("img > /dev/null").stderr, Sink::Log);
    assert_eq!(
        streams("img >/dev/null 2>&1"),
        Streams {
            stdout: Sink::Null,
            stderr: Sink::Null
        }
    );
    assert_eq!(
        streams("img 2>&1 >/dev/null"),
        Streams {
            stdout: Sink::Null,
            stderr: Sink::Log
        }
    );
    assert_eq!(
        streams("img &> /dev/null"),
        Streams {
            stdout: Sink::Null,
            stderr: Sink::Null
        }
    );
    assert_eq!(streams("img 2> /dev/null").stderr, Sink::Null);
    assert_eq!(streams("img > $OUT").stdout, file("sbom.json", false));
    assert_eq!(streams("img >> ./a/../b.txt").stdout, file("b.txt", true));
    assert_eq!(streams("img > /workspace/o/x").stdout, file("o/x", false));
    assert_eq!(streams("img 1>&2").stdout, Sink::Log);
    assert_eq!(streams("> /dev/null img").stdout, Sink::Null);
}

#[test]
fn what_acrt_does_not_carry_out_is_refused_by_name() {
    for (text, construct) in [
        ("img $(cat x)", "command substitution ('$(...)'"),
        ("img \"$(cat x)\"", "command substitution ('$(...)'"),
        ("img `cat x`", "command substitution (backticks"),
        ("img a | grep b", "a pipe ('|')"),
        ("img a &", "a background command ('&')"),
        ("img a & img b", "a background command ('&')"),
        ("(img a)", "a subshell"),
        ("{ img a; }", "a brace group"),
        ("if img; then img; fi", "'if'"),
        ("for i in 1; do img; done", "'for'"),
        ("while img; do img; done", "'while'"),
        ("case x in x) img;; esac", "'case'"),
        ("f() { img; }", "a function definition"),
        ("img <<EOF\nx\nEOF\n", "a here-document"),
        ("img < in.txt", "an input redirection"),
        ("img $((1+2))", "an arithmetic expansion"),
        ("img ~/x", "a tilde expansion"),
        ("X=1 img", "a variable assignment ('X=1')"),
        ("img > /etc/x", "the redirection to '/etc/x'"),
        ("img > ../x", "the redirection to '../x'"),
        (
            "img > /workspace/../x",
            "the redirection to '/workspace/../x'",
        ),
        ("img > /workspaces/x", "the redirection to '/workspaces/x'"),
        ("img 3>&1", "a redirection of file descriptor 3"),
        ("img >&3", "the redirection '>&3'"),
        ("img ${X#o}", "the expansion in '${X#o}'"),
        ("img $1", "the expansion in '$1'"),
        ("! img", "'!'"),
    ] {
        let e = refusal(text);
        assert!(e.contains(construct), "{text}: {e}");
    }
    assert!(refusal("img 'a").contains("not valid shell"));
    assert!(refusal("   ").contains("empty"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Whatever a task file's cmd holds, reading it ends in a line or an error, never a panic.
    #[test]
    fn any_line_is_read_or_refused_without_a_panic(
        text in r#"[a-z0-9 $(){}<>|&;'"\\`~#=:./\n*-]{0,40}"#
    ) {
        let _ = parse(&text, &env());
    }
}
