//! `task timer add|update|remove|list`: cron schedules (UTC) that run a task.

use super::{Ctx, find_task, task_not_found};
use crate::cli::{TaskNameArgs, TimerAddArgs, TimerCommand, TimerNameArgs, TimerUpdateArgs};
use crate::error::{Result, failed, invalid, not_found};
use crate::model::names::validate_trigger_name;
use crate::model::status::Status;
use crate::model::trigger::{TimerTrigger, validate_cron};
use crate::output::{CommandOutput, views};

pub fn dispatch(ctx: &Ctx, command: TimerCommand) -> Result<CommandOutput> {
    match command {
        TimerCommand::Add(args) => add(ctx, args),
        TimerCommand::Update(args) => update(ctx, args),
        TimerCommand::Remove(args) => remove(ctx, args),
        TimerCommand::List(args) => list(ctx, args),
    }
}

fn add(ctx: &Ctx, args: TimerAddArgs) -> Result<CommandOutput> {
    let TimerNameArgs {
        task: target,
        timer_name,
    } = &args.timer;
    validate_trigger_name("timer", timer_name)?;
    validate_cron(&args.schedule)?;
    let registry = ctx.registry(&target.registry)?;
    let task = ctx
        .store()?
        .update_task(&registry, &target.name, |task| {
            let timers = task.trigger.timer_triggers.get_or_insert_with(Vec::new);
            if timers.iter().any(|t| t.name.eq_ignore_ascii_case(timer_name)) {
                return Err(failed(format!(
                    "the task '{}' already has a timer '{timer_name}'; change it with 'acrt task timer update'",
                    target.name
                )));
            }
            timers.push(TimerTrigger {
                name: timer_name.clone(),
                schedule: args.schedule.trim().to_string(),
                status: Status::from_enabled(args.enabled),
            });
            Ok(())
        })?
        .ok_or_else(|| task_not_found(&registry, &target.name))?;
    CommandOutput::with_table(task.without_secrets(), views::TASK)
}

fn update(ctx: &Ctx, args: TimerUpdateArgs) -> Result<CommandOutput> {
    let TimerNameArgs {
        task: target,
        timer_name,
    } = &args.timer;
    if args.schedule.is_none() && args.enabled.is_none() {
        return Err(invalid(
            "timer update needs --schedule or --enabled: nothing to change",
        ));
    }
    if let Some(schedule) = &args.schedule {
        validate_cron(schedule)?;
    }
    let registry = ctx.registry(&target.registry)?;
    let task = ctx
        .store()?
        .update_task(&registry, &target.name, |task| {
            let timer = task
                .trigger
                .timer_triggers
                .iter_mut()
                .flatten()
                .find(|t| t.name.eq_ignore_ascii_case(timer_name))
                .ok_or_else(|| timer_not_found(&target.name, timer_name))?;
            if let Some(schedule) = &args.schedule {
                timer.schedule = schedule.trim().to_string();
            }
            if let Some(enabled) = args.enabled {
                timer.status = Status::from_enabled(enabled);
            }
            Ok(())
        })?
        .ok_or_else(|| task_not_found(&registry, &target.name))?;
    CommandOutput::with_table(task.without_secrets(), views::TASK)
}

fn remove(ctx: &Ctx, args: TimerNameArgs) -> Result<CommandOutput> {
    let TimerNameArgs {
        task: target,
        timer_name,
    } = &args;
    let registry = ctx.registry(&target.registry)?;
    let task = ctx
        .store()?
        .update_task(&registry, &target.name, |task| {
            let timers = task.trigger.timer_triggers.get_or_insert_with(Vec::new);
            let before = timers.len();
            timers.retain(|t| !t.name.eq_ignore_ascii_case(timer_name));
            if timers.len() == before {
                return Err(timer_not_found(&target.name, timer_name));
            }
            if timers.is_empty() {
                task.trigger.timer_triggers = None;
            }
            Ok(())
        })?
        .ok_or_else(|| task_not_found(&registry, &target.name))?;
    CommandOutput::with_table(task.without_secrets(), views::TASK)
}

fn list(ctx: &Ctx, args: TaskNameArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let task = find_task(&ctx.store()?, &registry, &args.name)?;
    CommandOutput::with_table(task.trigger.timer_triggers.unwrap_or_default(), views::TASK)
}

fn timer_not_found(task: &str, timer: &str) -> anyhow::Error {
    not_found(format!(
        "the task '{task}' has no timer '{timer}'; see its timers with 'acrt task timer list -n {task}'"
    ))
}
