//! A task's triggers from create/update options: the base image trigger and the source
//! trigger of a git context, as az sets them.

use super::*;

pub(super) fn apply_base_image_trigger(task: &mut Task, o: &TaskStepOptions) -> Result<()> {
    let trigger = task
        .trigger
        .base_image_trigger
        .get_or_insert_with(BaseImageTrigger::default);
    if let Some(enabled) = o.base_image_trigger_enabled {
        trigger.status = Status::from_enabled(enabled);
    }
    if let Some(name) = &o.base_image_trigger_name {
        validate_trigger_name("base image trigger", name)?;
        trigger.name = name.clone();
    }
    if let Some(kind) = o.base_image_trigger_type {
        trigger.base_image_trigger_type = kind;
    }
    if let Some(url) = &o.update_trigger_endpoint {
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return Err(invalid(format!(
                "invalid --update-trigger-endpoint '{url}': give an http:// or https:// URL"
            )));
        }
        trigger.update_trigger_endpoint = (!url.is_empty()).then(|| url.clone());
    }
    if let Some(kind) = o.update_trigger_payload_type {
        trigger.update_trigger_payload_type = kind;
    }
    Ok(())
}

/// A git context gets a source trigger (commit by default); any other context has none.
pub(super) fn apply_source_trigger(ctx: &Ctx, task: &mut Task, o: &TaskStepOptions) -> Result<()> {
    let context = task.step.source().context_path.clone();
    let location = context
        .as_deref()
        .map(ContextLocation::parse)
        .unwrap_or(ContextLocation::None);
    let ContextLocation::Git { url, branch, .. } = location else {
        let asked =
            o.commit_trigger_enabled == Some(true) || o.pull_request_trigger_enabled == Some(true);
        if asked {
            ctx.warn("source triggers need a git context (-c URL#branch); this task has none, so they are off");
        }
        task.trigger.source_triggers = None;
        return Ok(());
    };
    let existing = task
        .trigger
        .source_triggers
        .as_ref()
        .and_then(|t| t.first());
    let had = |event| existing.map(|t| t.source_trigger_events.contains(&event));
    let commit = o
        .commit_trigger_enabled
        .or(had(SourceTriggerEvent::Commit))
        .unwrap_or(true);
    let pull_request = o
        .pull_request_trigger_enabled
        .or(had(SourceTriggerEvent::Pullrequest))
        .unwrap_or(false);
    let name = match &o.source_trigger_name {
        Some(name) => {
            validate_trigger_name("source trigger", name)?;
            name.clone()
        }
        None => existing.map_or(DEFAULT_SOURCE_TRIGGER_NAME.to_string(), |t| t.name.clone()),
    };
    let events: Vec<SourceTriggerEvent> = [
        (SourceTriggerEvent::Commit, commit),
        (SourceTriggerEvent::Pullrequest, pull_request),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(e, _)| *e)
    .collect();
    // As az: a task created with every event off has no source trigger at all; one that had
    // a trigger keeps it, disabled.
    if events.is_empty() && existing.is_none() {
        task.trigger.source_triggers = None;
        return Ok(());
    }
    let token = task.step.source().context_access_token.clone();
    task.trigger.source_triggers = Some(vec![SourceTrigger {
        name,
        status: Status::from_enabled(!events.is_empty()),
        source_trigger_events: events,
        source_repository: SourceRepository {
            // az keeps the URL as given (with its #branch) and names the branch apart,
            // master when none is given.
            branch: Some(branch.unwrap_or_else(|| "master".into())),
            source_control_type: source_control_type(&url).into(),
            repository_url: context.unwrap_or(url),
            source_control_auth_properties: token.map(|token| AuthInfo {
                expires_in: None,
                refresh_token: None,
                scope: Some("repo".into()),
                token: Some(token),
                token_type: "PAT".into(),
            }),
        },
    }]);
    Ok(())
}
