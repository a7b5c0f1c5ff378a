//! Property tests of what acrt parses from hostile input: the Dockerfile scanner, the task-file
//! parser, image references, templates and the tar extractor. No input may panic or hang
//! (each case is held to 1 s), and what has a round trip keeps it. `scripts/fuzz SECONDS`
//! runs them with a larger budget; PROPTEST_CASES sets the cases per property.

use proptest::prelude::*;
use std::time::{Duration, Instant};

use acrt::model::image::ImageRef;
use acrt::template::{TemplateContext, render};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn within_a_second<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

/// Text made of Dockerfile-ish pieces, so that cases reach deep into the grammar.
fn dockerfile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FROM ".to_string()),
        Just("ARG ".to_string()),
        Just(" AS ".to_string()),
        Just("COPY --from=".to_string()),
        Just("RUN --mount=type=cache,from=".to_string()),
        Just("${".to_string()),
        Just("}".to_string()),
        Just(":-".to_string()),
        Just("\\\n".to_string()),
        Just("\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("# escape=`\n".to_string()),
        Just("<<EOF\n".to_string()),
        Just("\"".to_string()),
        Just("=".to_string()),
        "[a-zA-Z0-9_./:@-]{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

fn task_file_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("version: v1.1.0\n".to_string()),
        Just("steps:\n".to_string()),
        Just("  - build: ".to_string()),
        Just("  - cmd: ".to_string()),
        Just("  - push: [".to_string()),
        Just("    when: [\"-\"]\n".to_string()),
        Just("    id: ".to_string()),
        Just("alias:\n  values:\n    a: b\n".to_string()),
        Just("{{.Run.ID}}".to_string()),
        Just("{{".to_string()),
        Just("$a".to_string()),
        Just("\n".to_string()),
        "[a-zA-Z0-9_./:@ -]{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_scanner_never_panics_or_hangs(text in dockerfile_text(), target in proptest::option::of("[a-z]{1,3}")) {
        within_a_second("a scan", || {
            let platform = acrt::model::Platform::default();
            let options = acrt::dockerfile::ScanOptions {
                build_args: &[("A".into(), "b".into())],
                target: target.as_deref(),
                platform: &platform,
            };
            let _ = acrt::dockerfile::scan(&text, &options);
        });
    }

    #[test]
    fn the_task_file_parser_never_panics_or_hangs(text in task_file_text()) {
        within_a_second("a task-file plan", || {
            let sources = acrt::engine::steps::AliasSources {
                configured: Default::default(),
                load: &|_| Ok(String::new()),
            };
            let _ = acrt::engine::steps::plan(&text, &TemplateContext::default(), &sources);
        });
    }

    #[test]
    fn image_references_print_and_parse_back_the_same(text in "[a-zA-Z0-9._:/@-]{0,60}|[a-z0-9]{1,8}(\\.[a-z]{2,3})?(:[0-9]{1,5})?/[a-z0-9]{1,8}(/[a-z0-9_.-]{1,8})?(:[a-zA-Z0-9_.-]{1,10})?") {
        within_a_second("a reference", || {
            if let Ok(image) = ImageRef::parse(&text) {
                let again = ImageRef::parse(&image.to_string()).expect("a printed reference parses");
                prop_assert_eq!(again, image);
            }
            Ok(())
        })?;
    }

    #[test]
    fn templates_never_panic_or_hang(text in "([^{}]{0,8}(\\{\\{|\\}\\}|\\||\\.Run\\.ID|\\.Values\\.x| default \"y\"| upper| b64dec)?){0,12}") {
        let mut ctx = TemplateContext::default();
        ctx.run.insert("ID".into(), "ca1".into());
        ctx.values.insert("x".into(), "v".into());
        within_a_second("a render", || {
            if let Ok(out) = render(&text, &ctx) {
                // Text without template markers renders as itself.
                if !text.contains("{{") {
                    assert_eq!(out, text);
                }
            }
        });
    }

    #[test]
    fn the_tar_extractor_never_panics_or_writes_outside(entries in proptest::collection::vec(("[a-z./]{1,12}", proptest::option::of("[a-z./]{1,12}"), proptest::collection::vec(any::<u8>(), 0..16)), 0..8), junk in proptest::collection::vec(any::<u8>(), 0..64)) {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("a.tar");
        let mut raw = Vec::new();
        {
            let mut builder = tar::Builder::new(&mut raw);
            for (name, link, data) in &entries {
                let mut header = tar::Header::new_gnu();
                header.set_mode(0o644);
                let bytes = name.as_bytes();
                header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
                if let Some(target) = link {
                    header.set_entry_type(tar::EntryType::Symlink);
                    header.set_size(0);
                    let t = target.as_bytes();
                    header.as_old_mut().linkname[..t.len()].copy_from_slice(t);
                    header.set_cksum();
                    let _ = builder.append(&header, &[][..]);
                } else {
                    header.set_size(data.len() as u64);
                    header.set_cksum();
                    let _ = builder.append(&header, &data[..]);
                }
            }
            let _ = builder.finish();
        }
        raw.extend_from_slice(&junk);
        std::fs::write(&archive, &raw).unwrap();
        let out = dir.path().join("sub/out");
        std::fs::create_dir_all(&out).unwrap();
        within_a_second("an unpack", || {
            let _ = acrt::context::unpack(&archive, &out, &acrt::context::Limits::default());
        });
        // Nothing lands beside the extraction directory.
        let beside: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().flatten().map(|e| e.file_name()).collect();
        prop_assert_eq!(beside, vec![std::ffi::OsString::from("out")]);
    }
}
