//! The engine's decisions with a fake builder and the run's record in memory: what a run
//! records when its build succeeds, fails, times out or is canceled, and how a task file's
//! steps wait on each other. The builder's processes are small shell scripts: real
//! processes, in milliseconds. (The same behaviours with buildah and a registry are in
//! tests/it.)

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::journal::{Journal, MemoryRun};
use super::{GivenSecrets, RunSpec, RunTarget, TaskFileSource, execute_run, lifecycle};
use crate::builder::{BuildPlan, BuildRequest, Builder, ProcessStep, PushRequest};
use crate::model::Platform;
use crate::model::run::Run;
use crate::model::status::{RunStatus, RunType, StepStatus};

/// The fake builder's one program: its arguments say what it does. `fail-now` fails with a
/// last line saying so, `sleep-long` sleeps, `mark=PATH` creates PATH, anything else prints
/// what it was given.
const PROGRAM: &str = "#!/bin/sh\n\
    for a in \"$@\"; do\n\
      case \"$a\" in\n\
        fail-now) echo 'step 1 of 2'; echo 'error: the base refused to build'; exit 3;;\n\
        sleep-long) exec sleep 30;;\n\
        mark=*) : > \"${a#mark=}\";;\n\
      esac\n\
    done\n\
    echo \"fake: $*\"\n";

/// A builder whose build is one run of [`PROGRAM`] with `build_args`.
struct FakeBuilder {
    program: PathBuf,
    build_args: Vec<&'static str>,
}

impl Builder for FakeBuilder {
    fn name(&self) -> &'static str {
        "fake"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn plan(&self, _request: &BuildRequest, _work: &Path) -> crate::error::Result<BuildPlan> {
        Ok(BuildPlan {
            steps: vec![ProcessStep {
                program: self.program.clone(),
                args: self.build_args.iter().map(Into::into).collect(),
                env: Vec::new(),
            }],
        })
    }

    fn push(&self, request: &PushRequest<'_>, _work: &Path) -> crate::error::Result<ProcessStep> {
        Ok(ProcessStep {
            program: self.program.clone(),
            args: vec!["push".into(), request.image.into()],
            env: Vec::new(),
        })
    }
}

/// A state dir, a context and the fake builder's program, for one test.
struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    fn new(files: &[(&str, &str)]) -> Bench {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("context")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("context").join(name), text).unwrap();
        }
        let program = dir.path().join("fake-builder");
        std::fs::write(&program, PROGRAM).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        Bench { dir }
    }

    fn builder(&self, build_args: &[&'static str]) -> Box<dyn Builder> {
        Box::new(FakeBuilder {
            program: self.dir.path().join("fake-builder"),
            build_args: build_args.to_vec(),
        })
    }

    fn spec(&self, timeout: u32) -> RunSpec {
        let context = self.dir.path().join("context").display().to_string();
        let mut spec = RunSpec::new(
            "localhost:5999",
            RunType::QuickRun,
            Some(context),
            Platform::default(),
            timeout,
        );
        spec.dockerfile = "Dockerfile".into();
        spec.push = false;
        spec
    }

    /// The run's record in memory, Queued, as `queue` makes it.
    fn record(&self, spec: &RunSpec) -> Arc<Mutex<MemoryRun>> {
        let log = self.dir.path().join("run.log");
        let run = lifecycle::queued_run(spec, "ab1", &log, "2026-01-01T00:00:00+00:00");
        Arc::new(Mutex::new(MemoryRun {
            run: Some(run),
            spec: Some(serde_json::to_string(&spec.for_store()).unwrap()),
            ..MemoryRun::default()
        }))
    }

    async fn execute(
        &self,
        record: &Arc<Mutex<MemoryRun>>,
        spec: &RunSpec,
        builder: Box<dyn Builder>,
    ) -> Run {
        let journal = Journal::new(Box::new(record.clone())).unwrap();
        let target = RunTarget {
            state_dir: self.dir.path(),
            registry: "localhost:5999",
            run_id: "ab1",
        };
        execute_run(
            &journal,
            &target,
            false,
            &spec.given_secrets(),
            Some(builder),
        )
        .await
        .unwrap()
    }

    fn log(&self) -> String {
        let path = super::log::log_path(self.dir.path(), "localhost:5999", "ab1");
        std::fs::read_to_string(path).unwrap()
    }
}

#[tokio::test]
async fn a_build_that_succeeds_is_recorded_once_started_and_once_ended() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let spec = bench.spec(60);
    let record = bench.record(&spec);
    let run = bench.execute(&record, &spec, bench.builder(&["bud"])).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    let m = record.lock().unwrap();
    assert!(m.finished);
    assert_eq!(m.run.as_ref().unwrap().status, RunStatus::Succeeded);
    assert_eq!(
        m.run.as_ref().unwrap().builder.as_deref(),
        Some(format!("fake ({})", bench.dir.path().join("fake-builder").display()).as_str())
    );
    // Written twice: started (with its builder), ended.
    let statuses: Vec<RunStatus> = m.writes.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [RunStatus::Running, RunStatus::Succeeded]);
    // The builder's process group was recorded while it ran, and is no longer.
    assert_eq!(m.group_log.len(), 1);
    assert!(m.groups.is_empty());
    assert!(bench.log().contains("fake: bud"), "{}", bench.log());
}

#[tokio::test]
async fn a_build_that_fails_is_recorded_with_the_builders_last_line() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let spec = bench.spec(60);
    let record = bench.record(&spec);
    let run = bench
        .execute(&record, &spec, bench.builder(&["bud", "fail-now"]))
        .await;
    assert_eq!(run.status, RunStatus::Failed);
    let message = run.run_error_message.unwrap();
    assert!(
        message.ends_with("exited with code 3: error: the base refused to build"),
        "{message}"
    );
    assert_eq!(
        record.lock().unwrap().run.as_ref().unwrap().status,
        RunStatus::Failed
    );
}

#[tokio::test(start_paused = true)]
async fn a_build_past_its_timeout_is_stopped_and_recorded_as_timed_out() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let spec = bench.spec(1);
    let record = bench.record(&spec);
    let run = bench
        .execute(&record, &spec, bench.builder(&["bud", "sleep-long"]))
        .await;
    assert_eq!(run.status, RunStatus::Timeout, "{run:?}");
    assert_eq!(
        run.run_error_message.as_deref(),
        Some("the run took longer than its timeout of 1 s")
    );
    let m = record.lock().unwrap();
    assert_eq!(m.group_log.len(), 1);
    // Killed: gone within moments (it would sleep on for 30 s).
    let pgid = m.group_log[0].pgid;
    let begun = std::time::Instant::now();
    while super::process::runner_alive(pgid, None) {
        assert!(
            begun.elapsed() < std::time::Duration::from_secs(5),
            "the builder was stopped"
        );
        std::thread::yield_now();
    }
}

#[tokio::test]
async fn a_run_canceled_from_elsewhere_stays_canceled() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let spec = bench.spec(60);
    let record = bench.record(&spec);
    // What `task cancel-run` does from another process: the record first, then the groups.
    let canceler = {
        let record = record.clone();
        std::thread::spawn(move || {
            let group = loop {
                if let Some(g) = record.lock().unwrap().groups.first().copied() {
                    break g;
                }
                std::thread::yield_now();
            };
            let mut m = record.lock().unwrap();
            let run = m.run.as_mut().unwrap();
            run.status = RunStatus::Canceled;
            run.run_error_message = Some("canceled by 'acrt task cancel-run'".into());
            drop(m);
            super::process::kill_groups_now(&[group]);
        })
    };
    let run = bench
        .execute(&record, &spec, bench.builder(&["bud", "sleep-long"]))
        .await;
    canceler.join().unwrap();
    assert_eq!(run.status, RunStatus::Canceled, "{run:?}");
    assert_eq!(
        run.run_error_message.as_deref(),
        Some("canceled by 'acrt task cancel-run'")
    );
    assert!(
        !record.lock().unwrap().finished,
        "the cancel's record stands"
    );
}

#[tokio::test]
async fn a_task_files_steps_wait_for_theirs_and_ignore_errors_counts_as_success() {
    let yaml = "version: v1.1.0\nsteps:\n\
        \x20 - id: a\n    cmd: img echo a\n\
        \x20 - id: b\n    cmd: img fail-now\n    ignoreErrors: true\n    when: [a]\n\
        \x20 - id: c\n    cmd: img echo c\n    when: [b]\n\
        \x20 - id: d\n    cmd: img fail-now\n    when: [c]\n\
        \x20 - id: e\n    cmd: img echo e\n    when: [d]\n";
    let bench = Bench::new(&[]);
    let mut spec = bench.spec(60);
    spec.task_file = Some(TaskFileSource::Inline(yaml.into()));
    let record = bench.record(&spec);
    let run = bench.execute(&record, &spec, bench.builder(&[])).await;
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    assert!(
        run.run_error_message
            .as_deref()
            .is_some_and(|m| m.starts_with("step 'd' failed")),
        "{run:?}"
    );
    let steps = run.steps.unwrap();
    let status = |id: &str| steps.iter().find(|s| s.id == id).unwrap().status;
    assert_eq!(
        ["a", "b", "c", "d", "e"].map(status),
        [
            StepStatus::Successful,
            StepStatus::Successful,
            StepStatus::Successful,
            StepStatus::Failed,
            StepStatus::Skipped,
        ]
    );
    let b = steps.iter().find(|s| s.id == "b").unwrap();
    assert!(
        b.message
            .as_deref()
            .is_some_and(|m| m.starts_with("ignored: ")),
        "{b:?}"
    );
    // Each step's start and end reached the record as it happened, before the final write.
    let m = record.lock().unwrap();
    let recorded_steps = m.writes.iter().filter(|r| r.steps.is_some()).count();
    assert!(recorded_steps > 5, "{recorded_steps} writes with steps");
}

#[test]
fn a_spec_queued_by_an_older_acrt_is_still_read() {
    // Stored before secrets were handed over whole (no passwords, token or `whole`).
    let given: GivenSecrets =
        serde_json::from_str(r#"{"arguments": {"a": "1"}, "values": {}}"#).unwrap();
    assert!(given.need_task());
}

#[test]
fn a_stored_spec_reads_as_one_plan() {
    let bench = Bench::new(&[]);
    let stored = serde_json::to_value(bench.spec(60).for_store()).unwrap();
    let plan_of = |changes: serde_json::Value| {
        let mut json = stored.clone();
        for (k, v) in changes.as_object().unwrap() {
            json[k] = v.clone();
        }
        let spec: RunSpec = serde_json::from_value(json).unwrap();
        format!("{:?}", spec.plan())
    };
    assert_eq!(
        plan_of(serde_json::json!({})),
        r#"Build(Dockerfile { path: "Dockerfile", text: None })"#
    );
    assert_eq!(
        plan_of(serde_json::json!({"dockerfile_text": "FROM scratch\n"})),
        r#"Build(Dockerfile { path: "Dockerfile", text: Some("FROM scratch\n") })"#
    );
    assert_eq!(
        plan_of(
            serde_json::json!({"task_file": {"Path": "acb.yaml"}, "values_file": "v.yaml", "rebase": true})
        ),
        r#"Rebase(TaskFile { source: Path("acb.yaml"), values_file: Some("v.yaml") })"#
    );
    // A mirror copies, whatever else the spec says.
    assert_eq!(
        plan_of(serde_json::json!({"import_source": "docker.io/library/alpine:3", "rebase": true})),
        r#"Mirror { source: "docker.io/library/alpine:3" }"#
    );
}

/// A registry that lets no one push: its answer to the push check's upload (a 401) is held
/// until `marker` exists (or 20 s have passed), so that a test sees what the run did while
/// the check was being answered. Real registries answer at once; this one answers on cue.
fn registry_refusing_pushes_when(marker: PathBuf) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let marker = marker.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                reader.read_line(&mut request).unwrap_or_default();
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let status = if request.starts_with("POST ") {
                    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
                    while !marker.exists() && std::time::Instant::now() < until {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    "401 Unauthorized"
                } else {
                    "200 OK"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
                );
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_build_runs_while_its_push_check_is_answered_and_stops_when_it_fails() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let marker = bench.dir.path().join("build-started");
    let registry = registry_refusing_pushes_when(marker.clone());
    let mut spec = bench.spec(60);
    spec.push = true;
    spec.images = vec![format!("{registry}/app:1")];
    let record = bench.record(&spec);
    let mark: &'static str = Box::leak(format!("mark={}", marker.display()).into_boxed_str());
    let started = std::time::Instant::now();
    let run = bench
        .execute(&record, &spec, bench.builder(&[mark, "sleep-long"]))
        .await;
    assert!(marker.exists(), "the build did not wait for the check");
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    let message = run.run_error_message.unwrap();
    assert!(
        message.contains("wants a login to push app")
            && message.contains(&format!("acrt login -r {registry}")),
        "{message}"
    );
    // Stopped when the check failed, not after the builder's 30 s: its group is gone.
    assert!(started.elapsed() < std::time::Duration::from_secs(25));
    let pgid = record.lock().unwrap().group_log[0].pgid;
    while super::process::runner_alive(pgid, None) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(25),
            "the builder was stopped"
        );
        std::thread::yield_now();
    }
}
