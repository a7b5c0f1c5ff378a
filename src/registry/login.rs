//! `acrt login` / `acrt logout`: credentials checked against the registry, then stored where
//! docker, buildah and skopeo look: Docker's config file, or its credential helper.

use base64::Engine as _;
use serde_json::{Value, json};
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Stdio;

use super::Login;
use super::challenge::Challenge;
use super::token::{self, Scope, tokens};
use crate::error::{Error, Message, Result, failed};
use crate::model::image::ImageRef;

/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
pub fn docker_config_path() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
        return Ok(PathBuf::from(dir).join("config.json"));
    }
    let home = std::env::var_os("HOME").ok_or_else(|| {
        failed("HOME is not set; set DOCKER_CONFIG to where Docker's config.json is")
    })?;
    Ok(PathBuf::from(home).join(".docker/config.json"))
}

/// Asks the registry whether these credentials are good: /v2/, answering its challenge
/// (Basic, or a Bearer token from its realm). Returns the token its realm issued, if any.
pub async fn verify_login(
    registry: &str,
    username: &str,
    password: &str,
) -> Result<Option<String>> {
    let scheme = super::scheme(registry);
    let client = super::http_client()?;
    let base = format!("{scheme}://{registry}/v2/");
    let unreachable = |e: reqwest::Error| {
        super::unreachable(
            registry,
            &format!("registry {registry}: cannot reach {base}"),
            &e,
        )
    };
    let first = client.get(&base).send().await.map_err(unreachable)?;
    if first.status().is_success() {
        return Ok(None); // an open registry takes any login, as docker login finds
    }
    let (response, token_service) = match super::challenge::of_response(&first) {
        Challenge::Bearer { realm, service } => {
            super::challenge::check_realm(registry, &realm)?;
            let mut request = client.get(&realm).basic_auth(username, Some(password));
            if let Some(service) = service {
                request = request.query(&[("service", service)]);
            }
            (request.send().await.map_err(unreachable)?, Some(realm))
        }
        Challenge::Open | Challenge::Basic => (
            client
                .get(&base)
                .basic_auth(username, Some(password))
                .send()
                .await
                .map_err(unreachable)?,
            None,
        ),
    };
    let status = response.status();
    // A failure of the registry or its token service is not the login's.
    if !status.is_success() && !matches!(status.as_u16(), 401 | 403) {
        let what = token_service.map_or_else(
            || format!("registry {registry}"),
            |realm| format!("the token service of registry {registry} ({realm})"),
        );
        return Err(failed(format!(
            "{what} failed with {status}; this is its own failure, not the login's: try again later"
        )));
    }
    if status.is_success() {
        // A token service answers {"token": ...} or {"access_token": ...}; basic auth, nothing.
        let body: Value = response.json().await.unwrap_or(Value::Null);
        Ok(body["token"]
            .as_str()
            .or_else(|| body["access_token"].as_str())
            .map(str::to_string))
    } else {
        Err(failed(format!(
            "registry {registry} refused the login of '{username}' (HTTP {}); check the user name and password",
            response.status().as_u16()
        )))
    }
}

/// Whether `login` may push to `image`'s repository, as the push will ask: a token for
/// `pull,push` on it (where the registry has a token service), then an upload session opened
/// and cancelled. A refusal says who may not push what, then `fix`.
pub async fn check_push(image: &ImageRef, login: Option<&Login>, fix: &str) -> Result<()> {
    let registry = image.api_registry();
    let with_fix = |e: anyhow::Error| match e.downcast_ref::<Error>() {
        Some(Error::Refused(message)) => {
            Error::Refused(Message::hinted(message.to_string(), fix)).into()
        }
        _ => e,
    };
    let scopes = [Scope::push(&image.repository)];
    let authorization = tokens()
        .authorization(registry, &scopes, login)
        .await
        .map_err(with_fix)?;
    let url = format!(
        "{}://{registry}/v2/{}/blobs/uploads/",
        super::scheme(registry),
        image.repository
    );
    let send = |request: reqwest::RequestBuilder| match authorization.header() {
        Some(value) => request.header(reqwest::header::AUTHORIZATION, value).send(),
        None => request.send(),
    };
    let http = tokens().http(&url)?;
    let response = send(http.post(&url)).await.map_err(|e| {
        super::unreachable(
            registry,
            &format!("registry {registry}: cannot reach {url}"),
            &e,
        )
    })?;
    let status = response.status();
    if matches!(status.as_u16(), 401 | 403) {
        let why = token::refusal(&response, registry, &image.repository, "push", login);
        return Err(Error::Refused(Message::hinted(why, fix)).into());
    }
    // The session is not needed: cancelled, so that the registry does not keep it.
    if let Some(location) = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| reqwest::Url::parse(&url).ok()?.join(l).ok())
    {
        let _ = send(http.delete(location)).await;
    }
    Ok(())
}

fn read_config(path: &PathBuf) -> Result<Value> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            failed(format!(
                "{} is not valid JSON ({e}); fix or move it",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(json!({})),
        Err(e) => Err(e.into()),
    }
}

/// Written to a temporary file, then renamed: a crash leaves the old file or the new one.
fn write_config(path: &std::path::Path, config: &Value) -> Result<()> {
    let dir = path.parent().expect("a file in a directory");
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    crate::host::replace_private(path, serde_json::to_string_pretty(config)?.as_bytes())?;
    Ok(())
}

/// The credential helper Docker would use for `registry`, if the config names one.
fn helper_for(config: &Value, registry: &str) -> Option<String> {
    config["credHelpers"][registry]
        .as_str()
        .or_else(|| config["credsStore"].as_str())
        .map(str::to_string)
}

fn run_helper(helper: &str, action: &str, input: &str) -> Result<()> {
    let program = format!("docker-credential-{helper}");
    let path = crate::host::find(&program).ok_or_else(|| {
        failed(format!(
            "the credential helper {program} is not installed; install it or remove it from the Docker config"
        ))
    })?;
    let mut child = crate::host::std_command(&path)
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            crate::host::cannot_start(
                &crate::host::std_command(&path),
                &e,
                "install it or remove it from the Docker config",
            )
        })?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(failed(format!(
            "{program} {action} failed: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        )));
    }
    Ok(())
}

/// Stores a login; returns where it went (for the message).
pub fn store_login(registry: &str, username: &str, password: &str) -> Result<String> {
    let path = docker_config_path()?;
    let mut config = read_config(&path)?;
    if let Some(helper) = helper_for(&config, registry) {
        let input =
            json!({"ServerURL": registry, "Username": username, "Secret": password}).to_string();
        run_helper(&helper, "store", &input)?;
        return Ok(format!("the credential helper docker-credential-{helper}"));
    }
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    if !config["auths"].is_object() {
        config["auths"] = json!({});
    }
    config["auths"][registry] = json!({ "auth": auth });
    write_config(&path, &config)?;
    Ok(path.display().to_string())
}

/// Removes a login; false if there was none.
pub fn remove_login(registry: &str) -> Result<bool> {
    let path = docker_config_path()?;
    let mut config = read_config(&path)?;
    if let Some(helper) = helper_for(&config, registry) {
        run_helper(&helper, "erase", registry)?;
        return Ok(true);
    }
    let removed = config["auths"]
        .as_object_mut()
        .and_then(|a| a.remove(registry))
        .is_some();
    if removed {
        write_config(&path, &config)?;
    }
    Ok(removed)
}
