//! What a watch cycle costs a registry: its auth answer asked once per cycle, one HEAD per
//! base, and under a rate limit no more than that, then nothing until its Retry-After.
//! The bases are built on a real registry, which is then replaced on the same port by an
//! HTTP test server that counts requests (a real registry cannot be made to answer 429).

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{TestEnv, stderr};

/// Requests the server received, as "METHOD /path".
async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

fn count(requests: &[String], prefix: &str) -> usize {
    requests.iter().filter(|r| r.starts_with(prefix)).count()
}

#[tokio::test]
async fn a_cycle_asks_each_registry_once_and_a_rate_limit_costs_at_most_one_head_per_base() {
    let mut env = TestEnv::builder().registry().registry().build();
    let (limited, home) = (env.registry(0).addr.clone(), env.registry(1).addr.clone());
    let bases = ["base/a", "base/b", "base/c"];
    let dir = env.busybox_context(
        "bases",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let mut recorded = Vec::new();
    for (i, base) in bases.iter().enumerate() {
        let tag = format!("{base}:1");
        env.ok(&[
            "build",
            "-r",
            &limited,
            "-t",
            &tag,
            "--no-logs",
            "-o",
            "none",
            dir.to_str().unwrap(),
        ]);
        let name = format!("app-on-{}", i + 1);
        let dockerfile = format!("FROM {limited}/{tag}\nENV APP={name}\n");
        env.built_task(&name, &home, &format!("{name}:1"), &dockerfile);
        let digest = env.json(&[
            "task",
            "show",
            "-r",
            &home,
            "-n",
            &name,
            "--query",
            "step.baseImageDependencies[0].digest",
        ]);
        recorded.push(digest.as_str().unwrap().to_string());
    }

    // The registry that held the bases is replaced, on its port, by a counting server.
    env.stop_registry(0);
    let listener = std::net::TcpListener::bind(&limited).unwrap();
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(method("GET"))
        .and(path("/v2/"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    for (base, digest) in bases.iter().zip(&recorded) {
        Mock::given(method("HEAD"))
            .and(path(format!("/v2/{base}/manifests/1")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Docker-Content-Digest", digest.as_str())
                    .insert_header("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
            )
            .mount(&server)
            .await;
    }
    // acrt runs off this thread, which serves the test server.
    let env = std::sync::Arc::new(env);
    let watch = |env: &std::sync::Arc<TestEnv>| {
        let env = env.clone();
        async move {
            tokio::task::spawn_blocking(move || env.run(&["watch", "--once", "-o", "json"]))
                .await
                .unwrap()
        }
    };
    let out = watch(&env).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bases"]["unchanged"], json!(3), "{report}");
    let seen = requests(&server).await;
    // One auth probe for the registry, one HEAD per base, nothing else.
    assert_eq!(count(&seen, "GET /v2/"), 1, "{seen:?}");
    assert_eq!(count(&seen, "HEAD "), 3, "{seen:?}");
    assert_eq!(seen.len(), 4, "{seen:?}");

    // Now the registry rate-limits manifest requests, asking for two minutes.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v2/"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .with_priority(10)
        .mount(&server)
        .await;
    let out = watch(&env).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = report["failed"][0]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("rate limited") && reason.contains("120"),
        "{report}"
    );
    let seen = requests(&server).await;
    assert!(
        count(&seen, "HEAD ") <= 3,
        "at most one HEAD per base: {seen:?}"
    );
    assert_eq!(
        count(&seen, "GET /v2/base"),
        0,
        "no GET (a pull on Docker Hub): {seen:?}"
    );
    assert_eq!(seen.len() - count(&seen, "HEAD "), 1, "{seen:?}");

    // The next cycle (cron's next minute) leaves the registry alone, as it asked.
    server.reset().await;
    let out = watch(&env).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(requests(&server).await.is_empty());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bases"]["failed"], json!(3), "{report}");
    assert!(stderr(&out).contains("backed off"), "{}", stderr(&out));
}
