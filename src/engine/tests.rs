//! The engine's decisions with a fake builder and the run's record in memory: what a run
//! records when its build succeeds, fails, times out or is canceled, and how a task file's
//! steps wait on each other. The builder's processes are small shell scripts: real
//! processes, in milliseconds. (The same behaviours with buildah and a registry are in
//! tests/it.)

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::journal::{Journal, MemoryRun};
use super::{
    Build, GivenSecrets, RunPlan, RunSpec, RunTarget, TaskFileSource, execute_run, lifecycle,
};
use crate::builder::{
    BuildPlan, BuildRequest, Builder, Containers, ImageSource, ProcessStep, PushRequest,
    WorkingContainers,
};
use crate::model::run::Run;
use crate::model::status::{RunStatus, RunType, StepStatus};
use crate::model::{Platform, RunKey};

/// The fake builder's one program: its arguments say what it does. `fail-now` fails with a
/// last line saying so, `x509-fail` with a certificate failure, `sleep-long` sleeps, anything else prints what it was given. As a
/// working-container tool: `from` writes a new container's id to its `--cidfile`, `inspect`
/// gives an image config with an entry point, `rm` notes the id in `<program>.removed`.
const PROGRAM: &str = "#!/bin/sh\n\
    case \"$1\" in\n\
      from) while [ \"$1\" != --cidfile ]; do shift; done; echo \"ctr-$$\" > \"$2\"; exit 0;;\n\
      inspect) echo '{\"OCIv1\": {\"config\": {\"Entrypoint\": [\"fake-entry\"]}}}'; exit 0;;\n\
      rm) echo \"$2\" >> \"$0.removed\"; exit 0;;\n\
    esac\n\
    for a in \"$@\"; do\n\
      case \"$a\" in\n\
        fail-now) echo 'step 1 of 2'; echo 'error: the base refused to build'; exit 3;;\n\
        x509-fail) echo 'x509: certificate signed by unknown authority'; exit 1;;\n\
        sleep-long) exec sleep 30;;\n\
      esac\n\
    done\n\
    echo \"fake: $*\"\n";

/// A builder whose build is one run of [`PROGRAM`] with `build_args`; its cmd steps run
/// through [`PROGRAM`]'s `run` or, with `working`, its working containers.
struct FakeBuilder {
    program: PathBuf,
    build_args: Vec<&'static str>,
    working: bool,
}

impl FakeBuilder {
    fn step(&self, args: Vec<std::ffi::OsString>) -> ProcessStep {
        ProcessStep {
            program: self.program.clone(),
            args,
            env: Vec::new(),
        }
    }
}

impl WorkingContainers for FakeBuilder {
    fn create(
        &self,
        image: &str,
        _source: ImageSource<'_>,
        cid_file: &Path,
        _work: &Path,
    ) -> crate::error::Result<ProcessStep> {
        Ok(self.step(vec![
            "from".into(),
            "--cidfile".into(),
            cid_file.into(),
            image.into(),
        ]))
    }

    fn inspect(&self, container: &str) -> ProcessStep {
        self.step(vec!["inspect".into(), container.into()])
    }

    fn run(
        &self,
        container: &str,
        _flags: Vec<std::ffi::OsString>,
        argv: &[String],
    ) -> ProcessStep {
        let mut args: Vec<std::ffi::OsString> = vec!["run".into(), container.into(), "--".into()];
        args.extend(argv.iter().map(Into::into));
        self.step(args)
    }

    fn remove(&self, container: &str) -> ProcessStep {
        self.step(vec!["rm".into(), container.into()])
    }
}

impl Builder for FakeBuilder {
    fn name(&self) -> &'static str {
        "fake"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn trust_hint(&self) -> &'static str {
        "the fake builder's CAs are its own"
    }

    fn plan(&self, _request: &BuildRequest, _work: &Path) -> crate::error::Result<BuildPlan> {
        Ok(BuildPlan {
            steps: vec![ProcessStep {
                program: self.program.clone(),
                args: self.build_args.iter().map(Into::into).collect(),
                env: Vec::new(),
            }],
            layout_from_archive: None,
        })
    }

    fn push(&self, request: &PushRequest<'_>, _work: &Path) -> crate::error::Result<ProcessStep> {
        Ok(ProcessStep {
            program: self.program.clone(),
            args: vec!["push".into(), request.image.into()],
            env: Vec::new(),
        })
    }

    fn containers(&self) -> Containers<'_> {
        if self.working {
            Containers::Working(self)
        } else {
            Containers::Run
        }
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
            working: false,
        })
    }

    /// The fake builder, its cmd steps in working containers.
    fn working_builder(&self) -> Box<dyn Builder> {
        Box::new(FakeBuilder {
            program: self.dir.path().join("fake-builder"),
            build_args: Vec::new(),
            working: true,
        })
    }

    /// The containers the fake builder's `rm` removed.
    fn removed(&self) -> Vec<String> {
        let path = self.dir.path().join("fake-builder.removed");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines().map(str::to_string).collect()
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
        spec.plan = RunPlan::Build(Build::Dockerfile {
            path: "Dockerfile".into(),
            text: None,
        });
        spec.push = false;
        spec
    }

    /// A run of the task file `yaml`.
    fn task_file_spec(&self, yaml: &str) -> RunSpec {
        let mut spec = self.spec(60);
        spec.plan = RunPlan::Build(Build::TaskFile {
            source: TaskFileSource::Inline(yaml.into()),
            values_file: None,
        });
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
        let key = RunKey::new("localhost:5999", "ab1");
        let target = RunTarget {
            state_dir: self.dir.path(),
            key: &key,
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
        let path = super::log::log_path(self.dir.path(), &RunKey::new("localhost:5999", "ab1"));
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

#[tokio::test]
async fn a_certificate_failure_says_where_the_runs_builder_takes_a_ca_from() {
    let bench = Bench::new(&[("Dockerfile", "FROM scratch\n")]);
    let spec = bench.spec(60);
    let record = bench.record(&spec);
    let run = bench
        .execute(&record, &spec, bench.builder(&["bud", "x509-fail"]))
        .await;
    assert_eq!(run.status, RunStatus::Failed);
    let message = run.run_error_message.unwrap();
    assert!(
        message
            .ends_with("TLS certificate problem (see the log): the fake builder's CAs are its own"),
        "{message}"
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
    let spec = bench.task_file_spec(yaml);
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

#[tokio::test]
async fn cmd_steps_run_in_working_containers_that_are_removed_after_them() {
    let yaml = "version: v1.1.0\nsteps:\n\
        \x20 - id: a\n    cmd: img:1 echo a\n\
        \x20 - id: b\n    cmd: img:1 fail-now || true\n    when: [a]\n\
        \x20 - id: c\n    cmd: img:1 fail-now || img:1 echo recovered\n    when: [b]\n\
        \x20 - id: d\n    cmd: img:1 fail-now\n    when: [c]\n";
    let bench = Bench::new(&[]);
    let spec = bench.task_file_spec(yaml);
    let record = bench.record(&spec);
    let run = bench.execute(&record, &spec, bench.working_builder()).await;
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    let steps = run.steps.unwrap();
    let status = |id: &str| steps.iter().find(|s| s.id == id).unwrap().status;
    assert_eq!(
        ["a", "b", "c", "d"].map(status),
        [
            StepStatus::Successful,
            StepStatus::Successful,
            StepStatus::Successful,
            StepStatus::Failed,
        ]
    );
    let log = bench.log();
    // The image's entry point (from inspect) comes before the step's arguments.
    for ran in ["fake-entry echo a", "fake-entry echo recovered"] {
        assert!(
            log.lines()
                .any(|l| l.contains("fake: run ctr-") && l.ends_with(&format!("-- {ran}"))),
            "{ran}: {log}"
        );
    }
    // One container per container run (a, b, c twice, d), each removed once it ended.
    let removed = bench.removed();
    assert_eq!(removed.len(), 5, "{removed:?}");
    assert!(
        removed.iter().all(|id| id.starts_with("ctr-")),
        "{removed:?}"
    );
    let distinct: std::collections::BTreeSet<&String> = removed.iter().collect();
    assert_eq!(distinct.len(), 5, "{removed:?}");
}

#[test]
fn a_spec_queued_by_an_older_acrt_is_still_read() {
    // Stored before secrets were handed over whole (no passwords, token or `whole`).
    let given: GivenSecrets =
        serde_json::from_str(r#"{"arguments": {"a": "1"}, "values": {}}"#).unwrap();
    assert!(given.need_task());
}

#[test]
fn a_spec_stores_its_plan_and_reads_it_back() {
    let bench = Bench::new(&[]);
    let mut spec = bench.spec(60);
    spec.plan = RunPlan::Rebase(Build::TaskFile {
        source: TaskFileSource::Inline("version: v1.1.0\n".into()),
        values_file: Some("v.yaml".into()),
    });
    let stored = serde_json::to_value(spec.for_store()).unwrap();
    assert_eq!(
        stored["plan"],
        serde_json::json!({"Rebase": {"TaskFile": {
            "source": {"Inline": "version: v1.1.0\n"},
            "values_file": "v.yaml"
        }}})
    );
    for flat in [
        "dockerfile",
        "dockerfile_text",
        "task_file",
        "values_file",
        "import_source",
        "rebase",
    ] {
        assert!(stored.get(flat).is_none(), "{flat}: {stored}");
    }
    let read: RunSpec = serde_json::from_value(stored).unwrap();
    assert_eq!(read.plan, spec.plan);
}

#[test]
fn a_spec_stored_by_an_older_acrt_reads_as_one_plan() {
    let bench = Bench::new(&[]);
    // An older acrt's spec: the plan in flat fields.
    let mut older = serde_json::to_value(bench.spec(60).for_store()).unwrap();
    older.as_object_mut().unwrap().remove("plan");
    older["dockerfile"] = "Dockerfile".into();
    older["rebase"] = false.into();
    let plan_of = |changes: serde_json::Value| {
        let mut json = older.clone();
        for (k, v) in changes.as_object().unwrap() {
            json[k] = v.clone();
        }
        serde_json::from_value::<RunSpec>(json).unwrap().plan
    };
    let dockerfile = |text: Option<&str>| Build::Dockerfile {
        path: "Dockerfile".into(),
        text: text.map(str::to_string),
    };
    assert_eq!(
        plan_of(serde_json::json!({})),
        RunPlan::Build(dockerfile(None))
    );
    assert_eq!(
        plan_of(serde_json::json!({"dockerfile_text": "FROM scratch\n"})),
        RunPlan::Build(dockerfile(Some("FROM scratch\n")))
    );
    assert_eq!(
        plan_of(
            serde_json::json!({"task_file": {"Path": "acb.yaml"}, "values_file": "v.yaml", "rebase": true})
        ),
        RunPlan::Rebase(Build::TaskFile {
            source: TaskFileSource::Path("acb.yaml".into()),
            values_file: Some("v.yaml".into()),
        })
    );
    // A mirror copies, whatever else the spec says.
    assert_eq!(
        plan_of(serde_json::json!({"import_source": "docker.io/library/alpine:3", "rebase": true})),
        RunPlan::Mirror {
            source: "docker.io/library/alpine:3".into()
        }
    );
}

#[test]
fn a_spec_stored_with_a_pool_for_the_retry_only_still_retries_there() {
    let bench = Bench::new(&[]);
    let pool = serde_json::json!({"local": null, "named": []});
    let mut older = serde_json::to_value(bench.spec(60).for_store()).unwrap();
    older.as_object_mut().unwrap().remove("retry_elsewhere");
    older["retry_pool"] = pool;
    let read: RunSpec = serde_json::from_value(older).unwrap();
    assert_eq!(read.retry_pool(), Some(&crate::engine::RunPool::default()));
    // A pool given for placement is not one to retry on unless the task allows it.
    let mut spec = bench.spec(60);
    spec.pool = Some(crate::engine::RunPool::default());
    let stored = serde_json::to_value(spec.for_store()).unwrap();
    let read: RunSpec = serde_json::from_value(stored).unwrap();
    assert_eq!(read.pool, Some(crate::engine::RunPool::default()));
    assert_eq!(read.retry_pool(), None);
}
