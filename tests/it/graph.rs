//! `acrt task graph` over a real cascade: base -> a -> b -> c, and a task on another base.

use serde_json::json;

use crate::harness::{TestEnv, stdout};

#[test]
fn a_three_level_cascade_shows_its_edges_in_rebuild_order() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("graph/base:1");
    env.push_busybox_base("graph/other:1");
    let on = |image: &str| format!("FROM {reg}/{image}\nENV LEVEL={image}\n");
    env.built_task("level-a", &reg, "graph/a:1", &on("graph/base:1"));
    env.built_task("level-b", &reg, "graph/b:1", &on("graph/a:1"));
    env.built_task("level-c", &reg, "graph/c:1", &on("graph/b:1"));
    env.built_task("elsewhere", &reg, "graph/z:1", &on("graph/other:1"));
    let img = |name: &str| format!("{reg}/graph/{name}:1");

    let graph = env.json(&["task", "graph"]);
    let edges = graph["edges"].as_array().unwrap();
    for (from, to) in [
        (img("base"), "task:level-a".to_string()),
        ("task:level-a".to_string(), img("a")),
        (img("a"), "task:level-b".to_string()),
        ("task:level-b".to_string(), img("b")),
        (img("b"), "task:level-c".to_string()),
        ("task:level-c".to_string(), img("c")),
        (img("other"), "task:elsewhere".to_string()),
    ] {
        assert!(
            edges.contains(&json!({"from": from, "to": to})),
            "{from} -> {to} in {graph}"
        );
    }
    assert_eq!(edges.len(), 8, "{graph}");

    // What a patch of the base rebuilds, in order; the other chain is not in it.
    let reached = env.json(&["task", "graph", "--base", "graph/base:1"]);
    assert_eq!(
        reached["nodes"],
        json!([
            img("base"),
            "task:level-a",
            img("a"),
            "task:level-b",
            img("b"),
            "task:level-c",
            img("c")
        ])
    );
    let tree = stdout(&env.ok(&["task", "graph", "--base", "graph/base:1", "-o", "table"]));
    assert_eq!(
        tree,
        format!(
            "{}\n└── task:level-a\n    └── {}\n        └── task:level-b\n            └── {}\n                └── task:level-c\n                    └── {}\n",
            img("base"),
            img("a"),
            img("b"),
            img("c")
        )
    );
    let dot = stdout(&env.ok(&["task", "graph", "--format", "dot"]));
    assert!(
        dot.starts_with("digraph acrt {")
            && dot.contains(&format!("\"{}\" -> \"task:level-b\";", img("a"))),
        "{dot}"
    );
    env.fails(&["task", "graph", "--base", "graph/nothing:1"], 3);
}
