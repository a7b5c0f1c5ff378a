use super::*;

fn no_file(path: &str) -> Result<String> {
    Err(invalid(format!("no alias source {path} in this test")))
}

const NO_SOURCES: AliasSources<'static> = AliasSources {
    configured: BTreeMap::new(),
    load: &no_file,
};

fn ctx() -> TemplateContext {
    let mut c = TemplateContext::default();
    c.run.insert("ID".into(), "ab1".into());
    c.run.insert("Registry".into(), "localhost:5000".into());
    c.values.insert("tag".into(), "v2".into());
    c
}

/// The step a cmd line makes, as the plan reads it (no env).
fn cmd_kind(line: &str) -> StepKind {
    let parsed = shell::parse(line, &[]).unwrap();
    StepKind::Cmd(CmdList::of_line(parsed).unwrap().1)
}

fn err(text: &str) -> String {
    plan(text, &ctx(), &NO_SOURCES).unwrap_err().to_string()
}

#[test]
fn default_ordering_parallel_and_joins() {
    let p = plan(
        "version: v1.1.0\nsteps:\n  - id: a\n    build: -t a .\n  - id: b\n    when: [\"-\"]\n    build: -t b .\n  - id: c\n    when: [a, b]\n    push: [a, b]\n  - cmd: a echo hi\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    let after: Vec<Vec<usize>> = p.steps.iter().map(|s| s.after.clone()).collect();
    assert_eq!(after, [vec![], vec![], vec![0, 1], vec![2]]);
    assert_eq!(p.steps[3].id, "acb_step_3");
    assert_eq!(p.steps[0].timeout, DEFAULT_STEP_TIMEOUT);
    assert_eq!(p.steps[0].working_directory, "/workspace");
}

#[test]
fn aliases_templates_and_values() {
    let p = plan(
        "version: v1.1.0\nalias:\n  values:\n    greet: hello\nsteps:\n  - cmd: $Registry/img:$ID $greet {{.Values.tag}} '$$HOME'\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    assert_eq!(
        p.steps[0].kind,
        cmd_kind("localhost:5000/img:ab1 hello v2 '$HOME'")
    );
    // Aliases are a v1.1.0 feature: v1.0.0 leaves $ to the shell, which expands the step's
    // env only.
    let p = plan(
        "version: v1.0.0\nsteps:\n  - cmd: img $ID '$ID' \"$ID\"\n    env: [\"ID=from-env\"]\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    assert_eq!(p.steps[0].kind, cmd_kind("img from-env '$ID' from-env"));
}

#[test]
fn env_merges_per_key_and_workdirs_join_workspace() {
    let p = plan(
        "env: [A=1, B=2]\nstepTimeout: 30\nworkingDirectory: src\nsteps:\n  - cmd: img\n    env: [B=3]\n    timeout: 5\n    workingDirectory: /abs\n  - cmd: img\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    assert_eq!(
        p.steps[0].env,
        [
            ("A".to_string(), "1".to_string()),
            ("B".to_string(), "3".to_string())
        ]
    );
    assert_eq!((p.steps[0].timeout, p.steps[1].timeout), (5, 30));
    assert_eq!(
        (
            p.steps[0].working_directory.as_str(),
            p.steps[1].working_directory.as_str()
        ),
        ("/abs", "/workspace/src")
    );
}

#[test]
fn bad_files_name_the_line_step_and_problem() {
    let e = err("steps:\n  - id: a\n    cmd: x\n  - id: b\n    cmd: y\n    push: [z]\n");
    assert!(
        e.contains("line 4") && e.contains("'b'") && e.contains("single build, cmd, or push"),
        "{e}"
    );
    let e = err("steps:\n  - id: a\n    env: [A=1]\n");
    assert!(e.contains("missing a cmd, build, or push"), "{e}");
    let e = err("steps:\n  - id: a\n    cmd: x\n    when: [b]\n  - id: b\n    cmd: y\n");
    assert!(
        e.contains("line 2") && e.contains("not a step defined earlier"),
        "{e}"
    );
    let e = err("steps:\n  - id: a\n    cmd: x\n    when: [a]\n");
    assert!(e.contains("itself"), "{e}");
    let e = err("steps:\n  - id: a\n    cmd: x\n  - id: a\n    cmd: y\n");
    assert!(e.contains("line 4") && e.contains("unique"), "{e}");
    let e = err("version: v9\nsteps:\n  - cmd: x\n");
    assert!(e.contains("version 'v9'"), "{e}");
    let e = err("steps:\n  - cmd: x\n    when: [\"-\", a]\n");
    assert!(e.contains("'-'"), "{e}");
    let e =
        err("steps:\n  - cmd: x\n    volumeMounts:\n      - name: nope\n        mountPath: /s\n");
    assert!(e.contains("nope"), "{e}");
    let e = err("steps: [\n");
    assert!(e.contains("task file"), "{e}");
}

#[test]
fn unsupported_properties_are_listed() {
    let p = plan(
        "steps:\n  - cmd: img\n    privileged: true\n    ports: [\"80:80\"]\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    assert_eq!(p.steps[0].unsupported, ["privileged", "ports"]);
}

#[test]
fn only_a_cmd_step_detaches() {
    let p = plan(
        "steps:\n  - cmd: img\n    detach: true\n  - build: -t x .\n    detach: true\n  - cmd: img\n    detach: false\n",
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap();
    assert!(p.steps[0].detach && p.steps[0].unsupported.is_empty());
    assert!(!p.steps[1].detach);
    assert_eq!(p.steps[1].unsupported, ["detach"]);
    assert!(!p.steps[2].detach && p.steps[2].unsupported.is_empty());
}

#[test]
fn alias_sources_directives_and_precedence() {
    let load = |path: &str| -> Result<String> {
        match path {
            "one.yaml" => Ok("img: from-one\nx: one".into()),
            "two.yaml" => Ok("values:\n  x: two".into()),
            other => Err(invalid(format!("no {other}"))),
        }
    };
    let p = plan(
        "version: v1.1.0\nalias:\n  src: [one.yaml, two.yaml]\n  values:\n    y: inline\n  directive: \"&\"\nsteps:\n  - cmd: &img &x &y &ID $ID '&&'\n",
        &ctx(),
        &AliasSources {
            configured: BTreeMap::new(),
            load: &load,
        },
    )
    .unwrap();
    assert_eq!(p.steps[0].kind, cmd_kind("from-one two inline ab1 $ID '&'"));
    assert_eq!(p.steps[0].line, 8, "the alias block's lines still count");
    let e = plan(
        "version: v1.1.0\nalias:\n  src: [missing.yaml]\nsteps:\n  - cmd: x\n",
        &ctx(),
        &AliasSources {
            configured: BTreeMap::new(),
            load: &load,
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("missing.yaml"), "{e}");
}

#[test]
fn a_cmd_task_file_is_inline_as_az_writes_it_and_runs_the_command_as_given() {
    assert_eq!(
        inline_cmd_task_file("busybox echo hi", 3600),
        "version: v1.1.0\nsteps: \n  - cmd: busybox echo hi\n    disableWorkingDirectoryOverride: true\n    timeout: 3600\n"
    );
    for cmd in [
        "busybox echo hi",
        "$Registry/myimage",
        "busybox sh -c 'echo a: b'",
        "echo # not a comment",
        "{{.Run.Registry}}/hello-world:{{.Run.ID}}",
        "img:1 two\nimg:1 lines",
    ] {
        let p = plan(&inline_cmd_task_file(cmd, 60), &ctx(), &NO_SOURCES).unwrap();
        let expected = cmd
            .replace("{{.Run.Registry}}", "localhost:5000")
            .replace("$Registry", "localhost:5000")
            .replace("{{.Run.ID}}", "ab1");
        assert_eq!(p.steps[0].kind, cmd_kind(&expected), "{cmd}");
    }
    // Read as given: the image is `[x]`, which no registry can serve.
    let e = plan(
        &inline_cmd_task_file("[x] \"quoted\"", 60),
        &ctx(),
        &NO_SOURCES,
    )
    .unwrap_err();
    assert!(e.to_string().contains("'[x]'"), "{e}");
}

#[test]
fn a_v1_1_0_cmd_starting_with_an_alias_runs_its_image_and_v1_0_0_leaves_it() {
    let sources = AliasSources {
        configured: BTreeMap::from([("curl".to_string(), "mirror.lan/curl:1".to_string())]),
        load: &no_file,
    };
    let p = plan(
        "version: v1.1.0\nsteps:\n  - cmd: acr purge --ago 1d\n  - cmd: \"{{.Values.tool}} -s x\"\n",
        &{
            let mut c = ctx();
            c.values.insert("tool".into(), "curl".into());
            c
        },
        &sources,
    )
    .unwrap();
    assert_eq!(
        p.steps[0].kind,
        cmd_kind("mcr.microsoft.com/acr/acr-cli:0.19 purge --ago 1d")
    );
    assert_eq!(p.steps[1].kind, cmd_kind("mirror.lan/curl:1 -s x"));
    let p = plan(
        "version: v1.0.0\nsteps:\n  - cmd: acr purge\n",
        &ctx(),
        &sources,
    )
    .unwrap();
    assert_eq!(p.steps[0].kind, cmd_kind("acr purge"));
}

#[test]
fn check_syntax_reads_blocks_spanning_lines_and_names_a_bad_templates_line() {
    let file = "version: v1.1.0\n# {{ a comment is not rendered\nsteps:\n{{- range $i, $t := list \"a\" \"b\" }}\n  - id: s{{ $i }}\n{{- if eq $t \"a\" }}\n    cmd: x:{{ $t }}\n{{- else }}\n    cmd: y:{{ $t | upper }}\n{{- end }}\n{{- end }}\n";
    check_syntax(file).unwrap();
    let bad = "version: v1.1.0\nsteps:\n  - cmd: x:{{ .Run.ID | nope }}\n  - cmd: y\n";
    let err = format!("{:#}", check_syntax(bad).unwrap_err());
    assert!(err.contains("line 3") && err.contains("nope"), "{err}");
    assert!(!err.contains("version") && !err.contains("cmd: y"), "{err}");
}
