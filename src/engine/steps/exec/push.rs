//! A `push` step: the run's builder pushes each image from its storage.

use std::time::Duration;

use super::*;
use crate::registry::layout;

/// `push: [images]`: `:latest` where no tag, duplicates dropped, 3 attempts each.
pub(super) async fn push(
    step: &Step,
    images: &[String],
    env: &StepEnv<'_>,
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Outcome {
    let mut names: Vec<String> = Vec::new();
    for image in images {
        let name = with_tag(image);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let registries: Vec<String> = names.iter().filter_map(|n| registry_of(n)).collect();
    let logins = StepLogins::look_up(env, &registries).await;
    let auth = logins.auth_file(env, "push")?;
    let client = logins.client();
    let insecure = insecure_registries(env, &registries);
    for name in &names {
        let several = shared.indexes.borrow().get(name).cloned();
        if let Some(images) = several {
            push_index(step, name, &images, env, shared, &client).await?;
            continue;
        }
        let elsewhere = shared.elsewhere.borrow().get(name).cloned();
        if let Some(built) = elsewhere {
            push_built_elsewhere(step, name, &built, env, shared, &client).await?;
            continue;
        }
        let mut tries = 0;
        loop {
            tries += 1;
            // The run's builder pushes what it built, from its own storage.
            let request = builder::PushRequest {
                image: name,
                auth_file: auth.path(),
                insecure_registries: &insecure,
            };
            let p = env.builder().push(&request, &env.work).map_err(fail)?;
            match process(&step.id, p, env, deadline).await {
                Ok(()) => break,
                Err(Stop::Failed(m)) if tries < 3 => {
                    env.log.line(&format!(
                        "[{}] push of {name} failed ({m}); trying again",
                        step.id
                    ));
                    tokio::time::sleep(Duration::from_secs(tries)).await;
                }
                Err(e) => return Err(e),
            }
        }
        if let Ok(image) = ImageRef::parse_in(name, Some(env.registry)) {
            let digest = client.head_digest(&image).await.ok();
            env.log.line(&format!(
                "[{}] Pushed {image}: {}",
                step.id,
                digest.as_deref().unwrap_or("(digest unknown)")
            ));
            // In the record at once: a run stopped from here on still says what it pushed.
            env.journal
                .pushed(ImageDescriptor::of(&image, digest.clone()))
                .await
                .map_err(fail)?;
            let built_for = shared.built_for.borrow().get(name).cloned();
            if let Some(built_for) = built_for {
                check_pushed_platform(&client, &image, &built_for).await?;
            }
            shared
                .outputs
                .borrow_mut()
                .push(ImageDescriptor::of(&image, digest));
        }
    }
    Ok(())
}

/// Pushes the images a build step built for several platforms, by digest, and the index of
/// them under `name`, by acrt's own client (each image's config checked against its platform).
async fn push_index(
    step: &Step,
    name: &str,
    images: &PlatformImages,
    env: &StepEnv<'_>,
    shared: &Shared,
    client: &RegistryClient,
) -> Outcome {
    let failed = |e: anyhow::Error| failure(format!("push: {e:#}"));
    let image = ImageRef::parse_in(name, Some(env.registry)).map_err(failed)?;
    let log = |line: String| env.log.line(&format!("[{}] {line}", step.id));
    let pushed = tokio::time::timeout_at(
        env.deadline,
        layout::push_image_index(
            client,
            &images.layouts,
            std::slice::from_ref(&image),
            &images.annotations,
            &log,
        ),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(failed)?;
    log(format!("Pushed {image}: {}", pushed.digest));
    let descriptor = ImageDescriptor::of(&image, Some(pushed.digest));
    env.journal.pushed(descriptor.clone()).await.map_err(fail)?;
    shared.outputs.borrow_mut().push(descriptor);
    Ok(())
}

/// Pushes an image a build step built on another builder than the run's, from its layout
/// by acrt's own client (its config checked against its platform before the tag moves).
async fn push_built_elsewhere(
    step: &Step,
    name: &str,
    built: &BuiltElsewhere,
    env: &StepEnv<'_>,
    shared: &Shared,
    client: &RegistryClient,
) -> Outcome {
    let failed = |e: anyhow::Error| failure(format!("push: {e:#}"));
    let image = ImageRef::parse_in(name, Some(env.registry)).map_err(failed)?;
    let pushing = layout::push_tagged(client, &built.layout, &image, &built.platform);
    let pushed = tokio::time::timeout_at(env.deadline, pushing)
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(failed)?;
    env.log.line(&format!(
        "[{}] Pushed {image}: {} (built for {} on {})",
        step.id, pushed.digest, built.platform, built.builder
    ));
    let descriptor = ImageDescriptor::of(&image, Some(pushed.digest));
    env.journal.pushed(descriptor.clone()).await.map_err(fail)?;
    shared.outputs.borrow_mut().push(descriptor);
    Ok(())
}

/// The registry's copy of `image` is the platform its build step built it for (a builder that
/// ignored the platform would push the machine's own).
async fn check_pushed_platform(
    client: &RegistryClient,
    image: &ImageRef,
    built_for: &Platform,
) -> Outcome {
    let pushed = client
        .image_platform(image)
        .await
        .map_err(|e| failure(format!("push: reading {image}'s platform: {e:#}")))?;
    match pushed {
        Some(pushed) if !pushed.matches(built_for) => Err(failure(format!(
            "push: the pushed image {image} is {pushed}, not the {built_for} its build step asked for"
        ))),
        _ => Ok(()),
    }
}
