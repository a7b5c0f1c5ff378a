use super::*;

fn scan_with(
    text: &str,
    args: &[(String, String)],
    target: Option<&str>,
) -> Result<Vec<BaseImage>> {
    let platform = Platform::default();
    scan(
        text,
        &ScanOptions {
            build_args: args,
            target,
            platform: &platform,
        },
    )
}

fn deps(text: &str, args: &[(&str, &str)], target: Option<&str>) -> Vec<(String, String)> {
    let args: Vec<(String, String)> = args
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    scan_with(text, &args, target)
        .unwrap()
        .into_iter()
        .map(|b| {
            let kind = b.dependency_type.to_string();
            (
                kind,
                b.image.map_or("scratch".to_string(), |i| i.to_string()),
            )
        })
        .collect()
}

fn pair(kind: &str, image: &str) -> (String, String) {
    (kind.to_string(), image.to_string())
}

#[test]
fn single_stage_with_build_arg() {
    let d = "ARG REGISTRY_NAME\nFROM ${REGISTRY_NAME}/baseimages/node:9-alpine\nRUN echo hi\n";
    assert_eq!(
        deps(d, &[("REGISTRY_NAME", "localhost:5000")], None),
        [pair("Runtime", "localhost:5000/baseimages/node:9-alpine")]
    );
}

#[test]
fn defaults_platform_flags_and_continuations() {
    let d = "ARG TAG=${TAG:-18}\nFROM --platform=$BUILDPLATFORM \\\n  node:${TAG} AS build\nFROM ${BASE:-alpine}:3\nCOPY --from=build /a /a\n";
    assert_eq!(
        deps(d, &[], None),
        [
            pair("Runtime", "registry.hub.docker.com/library/alpine:3"),
            pair("BuildTime", "registry.hub.docker.com/library/node:18")
        ]
    );
    assert_eq!(
        deps(d, &[("TAG", "20")], None)[1].1,
        "registry.hub.docker.com/library/node:20"
    );
}

#[test]
fn stages_by_name_and_number_resolve_transitively() {
    let d = "FROM golang:1.22 AS builder\nFROM builder AS tested\nFROM reg.example.com/base/runtime:2\nCOPY --from=0 /bin/app /app\nCOPY --from=tested /x /x\n";
    assert_eq!(
        deps(d, &[], None),
        [
            pair("Runtime", "reg.example.com/base/runtime:2"),
            pair("BuildTime", "registry.hub.docker.com/library/golang:1.22")
        ]
    );
    // The final stage built from a named stage takes that stage's origin.
    let d = "FROM debian:12 AS base\nRUN x\nFROM base\n";
    assert_eq!(
        deps(d, &[], None),
        [pair("Runtime", "registry.hub.docker.com/library/debian:12")]
    );
}

#[test]
fn target_stops_at_its_stage() {
    let d = "FROM golang:1.22 AS build\nFROM alpine:3 AS final\nFROM busybox\n";
    assert_eq!(
        deps(d, &[], Some("BUILD")),
        [pair(
            "Runtime",
            "registry.hub.docker.com/library/golang:1.22"
        )]
    );
    // Only what the target reaches: the build stage is not built for "final".
    assert_eq!(
        deps(d, &[], Some("final")),
        [pair("Runtime", "registry.hub.docker.com/library/alpine:3")]
    );
    let err = scan_with(d, &[], Some("nope")).unwrap_err().to_string();
    assert!(err.contains("build, final"), "{err}");
}

#[test]
fn images_read_by_copy_and_mounts_are_buildtime() {
    let d = "FROM scratch\nCOPY --from=reg.example.com/tools/cc:1 /cc /cc\nRUN --mount=type=bind,from=localhost:5000/cache:2,target=/c true\n";
    assert_eq!(
        deps(d, &[], None),
        [
            pair("Runtime", "scratch"),
            pair("BuildTime", "reg.example.com/tools/cc:1"),
            pair("BuildTime", "localhost:5000/cache:2")
        ]
    );
}

#[test]
fn digests_heredocs_and_duplicates() {
    let digest = format!("sha256:{}", "b".repeat(64));
    let d = format!(
        "FROM alpine@{digest} AS a\nRUN <<EOF\nFROM not-an-image\nEOF\nFROM alpine@{digest}\n"
    );
    let out = deps(&d, &[], None);
    assert_eq!(
        out,
        [pair(
            "Runtime",
            &format!("registry.hub.docker.com/library/alpine@{digest}")
        )]
    );
}

#[test]
fn malformed_files_name_the_line() {
    let err = scan_with("FROM alpine\nRUN echo hi\nCOPY\n", &[], None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3"), "{err}");
    let err = scan_with("# no stage\nRUN x\n", &[], None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line"), "{err}");
    let err = scan_with("ARG B\nFROM $B\n", &[], None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 2") && err.contains("--build-arg"),
        "{err}"
    );
    let err = scan_with("FROM alpine\nCOPY --from=3 /a /b\n", &[], None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn pinning_rewrites_each_place_an_image_is_named() {
    let text = "\u{feff}ARG V=9\nFROM --platform=linux/amd64 reg.test/node:${V} AS build\n\
                COPY --from=reg.test/tools:1 /x /x\n\
                RUN --mount=type=cache,from=reg.test/cache:2,target=/c true\n\
                FROM alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS pinned\n\
                FROM build\nCOPY --from=pinned /a /a\nRUN --mount=type=bind,\"FROM=reg.test/cache:2\" true\n";
    let platform = Platform::default();
    let options = ScanOptions {
        build_args: &[],
        target: None,
        platform: &platform,
    };
    let scan = crate::dockerfile::scan_sites(text, &options).unwrap();
    let digest = |i: &crate::model::image::ImageRef| {
        Some(format!(
            "sha256:{}",
            &i.repository.len().to_string().repeat(64)[..64]
        ))
    };
    let (pinned, lines) = crate::dockerfile::pin(text, &scan.sites, digest);
    let d = |n: usize| format!("sha256:{}", n.to_string().repeat(64));
    assert!(
        pinned.contains(&format!(
            "FROM --platform=linux/amd64 reg.test/node:9@{} AS build",
            d(4)
        )),
        "{pinned}"
    );
    assert!(
        pinned.contains(&format!("COPY --from=reg.test/tools:1@{} /x", d(5))),
        "{pinned}"
    );
    assert!(
        pinned.contains(&format!(
            "--mount=type=cache,from=reg.test/cache:2@{},target=/c",
            d(5)
        )),
        "{pinned}"
    );
    assert!(
        pinned.contains("FROM build\nCOPY --from=pinned")
            && pinned.contains("FROM alpine@sha256:0000"),
        "stage names and digests stay: {pinned}"
    );
    assert!(
        pinned.contains(&format!(
            "--mount=type=bind,from=reg.test/cache:2@{} true",
            d(5)
        )),
        "a quoted mount is pinned too: {pinned}"
    );
    assert_eq!(lines.len(), 4, "{lines:?}");
    // The pinned file scans to the same images, now by digest.
    let again = crate::dockerfile::scan(&pinned, &options).unwrap();
    assert!(
        again
            .iter()
            .all(|b| b.image.as_ref().is_none_or(|i| i.digest.is_some())),
        "{again:?}"
    );
}

#[test]
fn a_stage_for_the_build_platform_is_resolved_for_it() {
    let d = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM alpine:3\nCOPY --from=build /a /a\n";
    let arm = Platform::parse("linux/arm64").unwrap();
    let options = ScanOptions {
        build_args: &[],
        target: None,
        platform: &arm,
    };
    let bases = scan(d, &options).unwrap();
    assert_eq!(
        bases[0].platform, None,
        "the runtime base is the build's platform"
    );
    let native = Platform {
        architecture: crate::model::platform::native_architecture().to_string(),
        ..Platform::default()
    };
    assert_eq!(bases[1].platform, Some(native));
}

/// The platforms the RUNs of the stages built execute on (None: the build's).
fn run_platforms(text: &str) -> Vec<Option<String>> {
    let platform = Platform::default();
    let options = ScanOptions {
        build_args: &[],
        target: None,
        platform: &platform,
    };
    scan_sites(text, &options)
        .unwrap()
        .run_platforms
        .into_iter()
        .map(|r| r.platform.map(|p| p.to_string()))
        .collect()
}

#[test]
fn only_the_runs_of_stages_built_need_their_platform_executed() {
    assert_eq!(
        run_platforms("FROM scratch\nCOPY a /a\n"),
        Vec::<Option<String>>::new()
    );
    assert_eq!(run_platforms("FROM busybox\nRUN true\n"), [None]);
    let cross = "FROM --platform=linux/amd64 busybox AS tools\nRUN make\nFROM busybox AS unused\nRUN x\nFROM scratch\nCOPY --from=tools /out /out\n";
    assert_eq!(run_platforms(cross), [Some("linux/amd64".to_string())]);
}

#[test]
fn a_stage_that_runs_commands_is_named_with_its_first_run() {
    let platform = Platform::default();
    let options = ScanOptions {
        build_args: &[],
        target: None,
        platform: &platform,
    };
    let text = "FROM scratch AS files\nCOPY a /a\nFROM busybox\nENV A=1\nRUN true\nRUN false\n";
    let sites = scan_sites(text, &options).unwrap().run_platforms;
    assert_eq!(
        sites,
        [RunSite {
            platform: None,
            stage: "1".into(),
            line: 5
        }]
    );
}
