//! `acrt watch --listen ADDR`: the distribution registry's notification webhook. Push events
//! name a repository and tag; the watcher checks those at once. Polling stays the backstop.

use serde_json::Value;
use std::sync::mpsc::Sender;

use crate::error::{Result, invalid};

/// (registry host, repository, tag) of a push.
pub type PushedRef = (String, String, String);

pub fn start(addr: &str, tx: Sender<PushedRef>) -> Result<String> {
    let server = tiny_http::Server::http(addr).map_err(|e| {
        invalid(format!(
            "cannot listen on {addr}: {e}; give a free host:port, e.g. 127.0.0.1:8089"
        ))
    })?;
    let bound = server.server_addr().to_string();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let status = if *request.method() == tiny_http::Method::Post {
                for pushed in pushed_refs(&body) {
                    let _ = tx.send(pushed);
                }
                200
            } else {
                405
            };
            let _ = request.respond(tiny_http::Response::empty(status));
        }
    });
    Ok(bound)
}

/// The pushes in a notification body (`application/vnd.docker.distribution.events.v2+json`).
pub fn pushed_refs(body: &str) -> Vec<PushedRef> {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Vec::new();
    };
    value["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "push")
        .filter_map(|e| {
            let target = &e["target"];
            let host = e["request"]["host"].as_str().or_else(|| {
                target["url"]
                    .as_str()
                    .and_then(|u| u.split("://").nth(1))
                    .and_then(|r| r.split('/').next())
            })?;
            Some((
                host.to_ascii_lowercase(),
                target["repository"].as_str()?.to_string(),
                target["tag"].as_str()?.to_string(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_push_events_with_tags() {
        let body = r#"{"events": [
            {"action": "push", "target": {"repository": "base/node", "tag": "9", "digest": "sha256:x",
             "url": "http://127.0.0.1:5000/v2/base/node/manifests/sha256:x"}, "request": {"host": "127.0.0.1:5000"}},
            {"action": "push", "target": {"repository": "base/node", "digest": "sha256:y"}, "request": {"host": "127.0.0.1:5000"}},
            {"action": "pull", "target": {"repository": "base/node", "tag": "9"}, "request": {"host": "127.0.0.1:5000"}}
        ]}"#;
        assert_eq!(
            pushed_refs(body),
            [(
                "127.0.0.1:5000".to_string(),
                "base/node".to_string(),
                "9".to_string()
            )]
        );
        assert!(pushed_refs("not json").is_empty());
    }
}
