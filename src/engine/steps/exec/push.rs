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
        let left_as_layouts = shared.layouts.borrow().get(name).cloned();
        if let Some(image) = left_as_layouts {
            push_layouts(step, name, &image, env, shared, &client).await?;
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

/// Pushes an image a build step left as layouts under `name`, by acrt's own client, each
/// platform's config checked against its platform before the tag moves: several platforms
/// by digest and the index of them, or the one image built on another builder.
async fn push_layouts(
    step: &Step,
    name: &str,
    image: &LayoutImage,
    env: &StepEnv<'_>,
    shared: &Shared,
    client: &RegistryClient,
) -> Outcome {
    let failed = |e: anyhow::Error| failure(format!("push: {e:#}"));
    let target = ImageRef::parse_in(name, Some(env.registry)).map_err(failed)?;
    let log = |line: String| env.log.line(&format!("[{}] {line}", step.id));
    let pushing = async {
        match image {
            LayoutImage::Index {
                layouts,
                annotations,
            } => {
                let targets = std::slice::from_ref(&target);
                let pushed =
                    layout::push_image_index(client, layouts, targets, annotations, &log).await?;
                anyhow::Ok((pushed.digest, String::new()))
            }
            LayoutImage::Elsewhere {
                platform,
                layout,
                builder,
            } => {
                let pushed = layout::push_tagged(client, layout, &target, platform).await?;
                let said = format!(" (built for {platform} on {builder})");
                anyhow::Ok((pushed.digest, said))
            }
        }
    };
    let (digest, said) = tokio::time::timeout_at(env.deadline, pushing)
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(failed)?;
    log(format!("Pushed {target}: {digest}{said}"));
    let descriptor = ImageDescriptor::of(&target, Some(digest));
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
