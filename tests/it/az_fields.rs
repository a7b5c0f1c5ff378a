//! Every field az prints, printed by acrt too. az prints each attribute of the service's
//! models (null when unset) and adds `resourceGroup`; the lists below are those models'
//! attributes (Microsoft.ContainerRegistry 2019-06-01-preview, the API version az's task
//! commands call), for the objects each command prints. Paths: `a.b`, `a[].b` for a list's
//! items, `a.*.b` for a map's values.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::TestEnv;

/// Who made a task or run and when, who changed it last (tasks and runs alike).
const SYSTEM_DATA: &[&str] = &[
    "systemData",
    "systemData.createdAt",
    "systemData.createdBy",
    "systemData.createdByType",
    "systemData.lastModifiedAt",
    "systemData.lastModifiedBy",
    "systemData.lastModifiedByType",
];

const TASK: &[&str] = &[
    "agentConfiguration",
    "agentConfiguration.cpu",
    "agentPoolName",
    "creationDate",
    "credentials",
    "id",
    "identity",
    "isSystemTask",
    "location",
    "logTemplate",
    "name",
    "platform",
    "platform.architecture",
    "platform.os",
    "platform.variant",
    "provisioningState",
    "resourceGroup",
    "status",
    "step",
    "step.baseImageDependencies",
    "step.contextAccessToken",
    "step.contextPath",
    "step.type",
    "tags",
    "timeout",
    "trigger",
    "trigger.baseImageTrigger",
    "trigger.baseImageTrigger.baseImageTriggerType",
    "trigger.baseImageTrigger.name",
    "trigger.baseImageTrigger.status",
    "trigger.baseImageTrigger.updateTriggerEndpoint",
    "trigger.baseImageTrigger.updateTriggerPayloadType",
    "trigger.sourceTriggers",
    "trigger.timerTriggers",
    "type",
];

const DOCKER_STEP: &[&str] = &[
    "step.arguments",
    "step.arguments[].isSecret",
    "step.arguments[].name",
    "step.arguments[].value",
    "step.dockerFilePath",
    "step.imageNames",
    "step.isPushEnabled",
    "step.noCache",
    "step.target",
];

/// What a task's first run records.
const BASE_IMAGE_DEPENDENCIES: &[&str] = &[
    "step.baseImageDependencies[].digest",
    "step.baseImageDependencies[].registry",
    "step.baseImageDependencies[].repository",
    "step.baseImageDependencies[].tag",
    "step.baseImageDependencies[].type",
];

const FILE_STEP: &[&str] = &[
    "step.taskFilePath",
    "step.values",
    "step.values[].isSecret",
    "step.values[].name",
    "step.values[].value",
    "step.valuesFilePath",
];

const ENCODED_STEP: &[&str] = &[
    "step.encodedTaskContent",
    "step.encodedValuesContent",
    "step.values",
];

const SOURCE_AND_TIMER_TRIGGERS: &[&str] = &[
    "trigger.sourceTriggers[].name",
    "trigger.sourceTriggers[].sourceRepository",
    "trigger.sourceTriggers[].sourceRepository.branch",
    "trigger.sourceTriggers[].sourceRepository.repositoryUrl",
    "trigger.sourceTriggers[].sourceRepository.sourceControlAuthProperties",
    "trigger.sourceTriggers[].sourceRepository.sourceControlType",
    "trigger.sourceTriggers[].sourceTriggerEvents",
    "trigger.sourceTriggers[].status",
    "trigger.timerTriggers[].name",
    "trigger.timerTriggers[].schedule",
    "trigger.timerTriggers[].status",
];

/// A custom registry's credentials, as `credential list` prints them (a map by login server).
const CUSTOM_REGISTRIES: &[&str] = &[
    "*.identity",
    "*.password",
    "*.password.type",
    "*.password.value",
    "*.userName",
    "*.userName.type",
    "*.userName.value",
];

/// A task's credentials, as `task show` prints them.
const CREDENTIALS: &[&str] = &[
    "credentials.customRegistries",
    "credentials.customRegistries.*.identity",
    "credentials.customRegistries.*.password",
    "credentials.customRegistries.*.password.type",
    "credentials.customRegistries.*.password.value",
    "credentials.customRegistries.*.userName",
    "credentials.customRegistries.*.userName.type",
    "credentials.customRegistries.*.userName.value",
    "credentials.sourceRegistry",
    "credentials.sourceRegistry.loginMode",
];

const RUN: &[&str] = &[
    "agentConfiguration",
    "agentConfiguration.cpu",
    "agentPoolName",
    "createTime",
    "customRegistries",
    "finishTime",
    "id",
    "imageUpdateTrigger",
    "isArchiveEnabled",
    "lastUpdatedTime",
    "logArtifact",
    "logArtifact.digest",
    "logArtifact.registry",
    "logArtifact.repository",
    "logArtifact.tag",
    "name",
    "outputImages",
    "outputImages[].digest",
    "outputImages[].registry",
    "outputImages[].repository",
    "outputImages[].tag",
    "platform",
    "platform.architecture",
    "platform.os",
    "platform.variant",
    "provisioningState",
    "resourceGroup",
    "runErrorMessage",
    "runId",
    "runType",
    "sourceRegistryAuth",
    "sourceTrigger",
    "startTime",
    "status",
    "task",
    "timerTrigger",
    "type",
    "updateTriggerToken",
];

/// A task run; its `runResult` is a run (`runRequest`, the ARM request that made it, is
/// null: acrt keeps no task runs apart from runs).
const TASK_RUN: &[&str] = &[
    "forceUpdateTag",
    "id",
    "identity",
    "location",
    "name",
    "provisioningState",
    "resourceGroup",
    "runRequest",
    "runResult",
    "systemData",
    "type",
];

const IMAGE_UPDATE_TRIGGER: &[&str] = &[
    "imageUpdateTrigger.id",
    "imageUpdateTrigger.images",
    "imageUpdateTrigger.images[].digest",
    "imageUpdateTrigger.images[].registry",
    "imageUpdateTrigger.images[].repository",
    "imageUpdateTrigger.images[].tag",
    "imageUpdateTrigger.timestamp",
];

/// Every path in `value`; the values of a `customRegistries` map (or of a top-level map of
/// login servers) are `*`.
fn paths(value: &Value, prefix: &str, map_of_servers: bool, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                let key = if map_of_servers { "*" } else { key.as_str() };
                let path = if prefix.is_empty() {
                    key.to_string()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                paths(field, &path, key == "customRegistries", out);
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), false, out);
            }
        }
        _ => {}
    }
}

/// Fails naming each of az's fields that `value` lacks. `servers`: `value` is a map by
/// login server (`credential list`).
fn assert_prints_every_az_field(what: &str, value: &Value, servers: bool, lists: &[&[&str]]) {
    let mut printed = BTreeSet::new();
    paths(value, "", servers, &mut printed);
    let az: BTreeSet<&str> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    let missing: Vec<&str> = az
        .iter()
        .copied()
        .filter(|p| !printed.contains(*p))
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: acrt prints {} of az's {} fields; missing {missing:?}\n{value:#}",
        az.len() - missing.len(),
        az.len()
    );
}

#[test]
fn tasks_runs_and_credentials_carry_every_field_az_prints() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("fields/base:1", "1");
    let app = env.dir_with(
        "app",
        &[
            (
                "Dockerfile",
                &format!("FROM {reg}/fields/base:1\nCOPY app /app\n"),
            ),
            ("app", "app"),
        ],
    );
    let app = app.to_str().unwrap();
    let create = [
        "task",
        "create",
        "-n",
        "docker",
        "-c",
        app,
        "-t",
        "fields/app:{{.Run.ID}}",
    ];
    env.ok(&[&create[..], &["--arg", "A=1", "-o", "none"]].concat());

    let run = env.json(&["task", "run", "-n", "docker", "--no-logs"]);
    assert_eq!(run["status"], "Succeeded", "{run:#}");
    assert_prints_every_az_field("a run", &run, false, &[SYSTEM_DATA, RUN]);
    let run_id = run["runId"].as_str().unwrap();
    let task_run = env.json(&["taskrun", "show", "-n", run_id]);
    let result: Vec<String> = [SYSTEM_DATA, RUN]
        .concat()
        .iter()
        .map(|f| format!("runResult.{f}"))
        .collect();
    let result: Vec<&str> = result.iter().map(String::as_str).collect();
    assert_prints_every_az_field(
        "a task run",
        &task_run,
        false,
        &[SYSTEM_DATA, TASK_RUN, &result],
    );
    let docker = env.json(&["task", "show", "-n", "docker"]);
    assert_prints_every_az_field(
        "a Docker task",
        &docker,
        false,
        &[SYSTEM_DATA, TASK, DOCKER_STEP, BASE_IMAGE_DEPENDENCIES],
    );

    env.push_patched_base("fields/base:1", "2");
    env.ok(&["watch", "--once"]);
    let newest = env.json(&["task", "list-runs", "-n", "docker", "--top", "1"]);
    assert_eq!(newest[0]["status"], "Succeeded", "{newest:#}");
    assert_prints_every_az_field(
        "an image-update run",
        &newest[0],
        false,
        &[SYSTEM_DATA, RUN, IMAGE_UPDATE_TRIGGER],
    );

    let file_context = env.dir_with(
        "file",
        &[(
            "acb.yaml",
            "version: v1.1.0\nsteps:\n  - cmd: tools/busybox:1 true\n",
        )],
    );
    let file_task = env.json(&[
        "task",
        "create",
        "-n",
        "filetask",
        "-c",
        file_context.to_str().unwrap(),
        "-f",
        "acb.yaml",
        "--set",
        "K=V",
    ]);
    assert_prints_every_az_field(
        "a file task",
        &file_task,
        false,
        &[SYSTEM_DATA, TASK, FILE_STEP],
    );

    let cmd = [
        "task",
        "create",
        "-n",
        "cmdtask",
        "--cmd",
        "echo hi",
        "-c",
        "/dev/null",
    ];
    let encoded = env.json(&cmd);
    assert_prints_every_az_field(
        "an encoded task",
        &encoded,
        false,
        &[SYSTEM_DATA, TASK, ENCODED_STEP],
    );

    let triggered = env.json(&[
        "task",
        "create",
        "-n",
        "gittask",
        "-c",
        "https://github.com/org/app.git#main",
        "-t",
        "app:1",
        "--git-access-token",
        "token",
        "--schedule",
        "0 3 * * *",
        "--arg",
        "B=2",
    ]);
    assert_prints_every_az_field(
        "a task with triggers",
        &triggered,
        false,
        &[SYSTEM_DATA, TASK, DOCKER_STEP, SOURCE_AND_TIMER_TRIGGERS],
    );

    let add = [
        "task",
        "credential",
        "add",
        "-n",
        "docker",
        "--login-server",
        "other.example",
        "-u",
        "bot",
        "--password-stdin",
    ];
    assert!(env.run_with_stdin(&add, "s3cret\n").status.success());
    let listed = env.json(&["task", "credential", "list", "-n", "docker"]);
    assert_prints_every_az_field("credential list", &listed, true, &[CUSTOM_REGISTRIES]);
    let secure = env.json(&["task", "show", "-n", "docker", "--with-secure-properties"]);
    assert_prints_every_az_field(
        "a task with credentials",
        &secure,
        false,
        &[
            SYSTEM_DATA,
            TASK,
            DOCKER_STEP,
            BASE_IMAGE_DEPENDENCIES,
            CREDENTIALS,
        ],
    );
}
