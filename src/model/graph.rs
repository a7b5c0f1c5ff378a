//! Who is built on what: base images -> the tasks built on them -> the images those tasks
//! push -> the tasks built on those, from what the runs recorded. A node is an image
//! reference (`registry/repository:tag`) or `task:NAME`; an image one task pushes and another
//! is built on is one node, which is how cascades show.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What one task contributes: the bases its last successful run was built on and the images
/// that run pushed. `K` names the task: its name within one registry (`acrt task graph`), or
/// (registry, name) across registries (watch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLinks<K = String> {
    pub task: K,
    pub bases: Vec<String>,
    pub pushed: Vec<String>,
}

/// The one rule for "whose image is whose base", for `acrt task graph` and watch alike: task U
/// is an upstream of task T when an image U's last successful run pushed is one T's last
/// successful run was built on. A task built on its own image is not its own upstream.
pub fn upstreams<K: Ord + Clone>(links: &[TaskLinks<K>]) -> BTreeMap<K, BTreeSet<K>> {
    let mut pushers: BTreeMap<&str, Vec<&K>> = BTreeMap::new();
    for l in links {
        for image in &l.pushed {
            pushers.entry(image.as_str()).or_default().push(&l.task);
        }
    }
    let mut upstreams = BTreeMap::new();
    for l in links {
        let found: BTreeSet<K> = l
            .bases
            .iter()
            .filter_map(|b| pushers.get(b.as_str()))
            .flatten()
            .filter(|u| ***u != l.task)
            .map(|u| (*u).clone())
            .collect();
        if !found.is_empty() {
            upstreams.insert(l.task.clone(), found);
        }
    }
    upstreams
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// Base -> task of a task built for several platforms: the base's digest for each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<PlatformDigest>,
}

/// One platform's digest of a base, as a task's last successful run recorded it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PlatformDigest {
    pub platform: String,
    pub digest: String,
}

/// What a task built for several platforms adds to its node and its base edges: the
/// platforms its last successful run built, and each base's digest per platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskPlatforms {
    pub platforms: Vec<String>,
    pub base_digests: BTreeMap<String, Vec<PlatformDigest>>,
}

/// Whether an image a task pushed carries a signature and provenance that verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
pub enum ProvenanceStatus {
    /// Its cosign signature and provenance verify with the key.
    Verified,
    /// Nothing is attached to it.
    Unsigned,
    /// Something is attached that does not verify with the key.
    Invalid,
    /// The registry could not say (unreachable, or the image is gone).
    Unchecked,
}

impl ProvenanceStatus {
    /// Its name, in JSON and in the tree alike.
    fn as_str(self) -> &'static str {
        match self {
            ProvenanceStatus::Verified => "verified",
            ProvenanceStatus::Unsigned => "unsigned",
            ProvenanceStatus::Invalid => "invalid",
            ProvenanceStatus::Unchecked => "unchecked",
        }
    }
}

impl From<ProvenanceStatus> for &'static str {
    fn from(status: ProvenanceStatus) -> Self {
        status.as_str()
    }
}

/// What `task graph --verify` found of the image a task's last successful run pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenanceCheck {
    pub task: String,
    /// The digest the run pushed, which is what was checked.
    pub digest: String,
    pub status: ProvenanceStatus,
    /// Why it is not verified (invalid, unchecked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The graph as `-o json` prints it: nodes in dependency order (every node after the nodes
/// it is built from), edges sorted; `platforms` only for tasks built for several;
/// `provenance` (with `--verify`) for each image a task pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub nodes: Vec<String>,
    pub edges: Vec<Edge>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub platforms: BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, ProvenanceCheck>,
}

pub fn task_node(task: &str) -> String {
    format!("task:{task}")
}

impl Graph {
    pub fn of(links: &[TaskLinks]) -> Graph {
        let mut edges = BTreeSet::new();
        let mut nodes = BTreeSet::new();
        for l in links {
            let task = task_node(&l.task);
            nodes.insert(task.clone());
            for base in &l.bases {
                nodes.insert(base.clone());
                edges.insert(Edge {
                    from: base.clone(),
                    to: task.clone(),
                    digests: Vec::new(),
                });
            }
            for image in &l.pushed {
                nodes.insert(image.clone());
                edges.insert(Edge {
                    from: task.clone(),
                    to: image.clone(),
                    digests: Vec::new(),
                });
            }
        }
        let edges: Vec<Edge> = edges.into_iter().collect();
        let nodes = dependency_order(&nodes, &edges);
        Graph {
            nodes,
            edges,
            platforms: BTreeMap::new(),
            provenance: BTreeMap::new(),
        }
    }

    /// Adds what was found of `image`'s provenance.
    pub fn with_provenance(mut self, image: &str, check: ProvenanceCheck) -> Graph {
        self.provenance.insert(image.to_string(), check);
        self
    }

    /// Adds what `task`'s several platforms show: on its node, and on the edges from its bases.
    pub fn with_platforms(mut self, task: &str, several: TaskPlatforms) -> Graph {
        let node = task_node(task);
        for edge in self.edges.iter_mut().filter(|e| e.to == node) {
            if let Some(digests) = several.base_digests.get(&edge.from) {
                edge.digests = digests.clone();
            }
        }
        self.platforms.insert(node, several.platforms);
        self
    }

    /// The platforms of a node built for several, as the tree and dot show them.
    fn platforms_of(&self, node: &str) -> Option<String> {
        self.platforms.get(node).map(|p| p.join(", "))
    }

    /// Only what `base` reaches: what a patch of it rebuilds, in the order it would.
    pub fn reached_from(&self, base: &str) -> Graph {
        let mut reached = BTreeSet::from([base.to_string()]);
        let mut queue = VecDeque::from([base.to_string()]);
        while let Some(node) = queue.pop_front() {
            for e in self.edges.iter().filter(|e| e.from == node) {
                if reached.insert(e.to.clone()) {
                    queue.push_back(e.to.clone());
                }
            }
        }
        Graph {
            nodes: self
                .nodes
                .iter()
                .filter(|n| reached.contains(*n))
                .cloned()
                .collect(),
            edges: self
                .edges
                .iter()
                .filter(|e| reached.contains(&e.from) && reached.contains(&e.to))
                .cloned()
                .collect(),
            platforms: only_reached(&self.platforms, &reached),
            provenance: only_reached(&self.provenance, &reached),
        }
    }

    /// The images no task pushes: where the graph starts.
    pub fn roots(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|n| !self.edges.iter().any(|e| &e.to == *n))
            .map(String::as_str)
            .collect()
    }

    /// A tree for the terminal: each root, and under every node what is built from it (a node
    /// with several parents appears under each).
    pub fn tree(&self) -> String {
        let children: BTreeMap<&str, Vec<&Edge>> =
            self.edges.iter().fold(BTreeMap::new(), |mut m, e| {
                m.entry(e.from.as_str()).or_default().push(e);
                m
            });
        let mut out = String::new();
        for root in self.roots() {
            out.push_str(root);
            out.push('\n');
            let mut path = vec![root];
            self.tree_lines(root, &children, "", &mut path, &mut out);
        }
        out
    }

    fn tree_lines<'a>(
        &self,
        node: &str,
        children: &BTreeMap<&str, Vec<&'a Edge>>,
        indent: &str,
        path: &mut Vec<&'a str>,
        out: &mut String,
    ) {
        let Some(kids) = children.get(node) else {
            return;
        };
        for (i, edge) in kids.iter().enumerate() {
            let kid = edge.to.as_str();
            let last = i + 1 == kids.len();
            let deeper = format!("{indent}{}", if last { "    " } else { "│   " });
            out.push_str(indent);
            out.push_str(if last { "└── " } else { "├── " });
            out.push_str(kid);
            if let Some(platforms) = self.platforms_of(kid) {
                out.push_str(&format!(" ({platforms})"));
            }
            if let Some(check) = self.provenance.get(kid) {
                out.push_str(&format!(" [{}]", check.status.as_str()));
            }
            // A task built on an image it pushes itself would loop: shown once, not followed.
            if path.contains(&kid) {
                out.push_str(" (cycle)\n");
                continue;
            }
            out.push('\n');
            for d in &edge.digests {
                out.push_str(&format!("{deeper}  base on {}: {}\n", d.platform, d.digest));
            }
            path.push(kid);
            self.tree_lines(kid, children, &deeper, path, out);
            path.pop();
        }
    }

    /// Graphviz: `acrt task graph --format dot | dot -Tsvg > graph.svg`.
    pub fn dot(&self) -> String {
        let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
        let mut out = String::from("digraph acrt {\n  rankdir=LR;\n");
        for n in &self.nodes {
            let shape = if n.starts_with("task:") {
                "box"
            } else {
                "ellipse"
            };
            let label = match self.platforms_of(n) {
                Some(platforms) => format!(", label={}", quote(&format!("{n}\n{platforms}"))),
                None => String::new(),
            };
            out.push_str(&format!("  {} [shape={shape}{label}];\n", quote(n)));
        }
        for e in &self.edges {
            let label = match e.digests.as_slice() {
                [] => String::new(),
                digests => {
                    let lines: Vec<String> = digests
                        .iter()
                        .map(|d| format!("{} {}", d.platform, d.digest))
                        .collect();
                    format!(" [label={}]", quote(&lines.join("\n")))
                }
            };
            out.push_str(&format!(
                "  {} -> {}{label};\n",
                quote(&e.from),
                quote(&e.to)
            ));
        }
        out.push_str("}\n");
        out
    }
}

/// The entries of `by_node` whose node is `reached`.
fn only_reached<V: Clone>(
    by_node: &BTreeMap<String, V>,
    reached: &BTreeSet<String>,
) -> BTreeMap<String, V> {
    by_node
        .iter()
        .filter(|(n, _)| reached.contains(*n))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

/// Kahn's order, ties by name; nodes on a cycle come last, in name order.
fn dependency_order(nodes: &BTreeSet<String>, edges: &[Edge]) -> Vec<String> {
    let mut incoming: BTreeMap<&str, usize> = nodes.iter().map(|n| (n.as_str(), 0)).collect();
    for e in edges {
        *incoming.entry(e.to.as_str()).or_default() += 1;
    }
    let mut ready: BTreeSet<&str> = incoming
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut order = Vec::new();
    while let Some(node) = ready.pop_first() {
        order.push(node.to_string());
        for e in edges.iter().filter(|e| e.from == node) {
            let n = incoming.get_mut(e.to.as_str()).expect("every edge's node");
            *n -= 1;
            if *n == 0 {
                ready.insert(e.to.as_str());
            }
        }
    }
    for n in nodes {
        if !order.contains(n) {
            order.push(n.clone());
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provenance_status_is_one_word_in_json_and_in_the_tree() {
        for (status, word) in [
            (ProvenanceStatus::Verified, "verified"),
            (ProvenanceStatus::Unsigned, "unsigned"),
            (ProvenanceStatus::Invalid, "invalid"),
            (ProvenanceStatus::Unchecked, "unchecked"),
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), word);
            assert_eq!(status.as_str(), word);
        }
    }

    fn cascade() -> Graph {
        let links = |task: &str, bases: &[&str], pushed: &[&str]| TaskLinks {
            task: task.into(),
            bases: bases.iter().map(|s| s.to_string()).collect(),
            pushed: pushed.iter().map(|s| s.to_string()).collect(),
        };
        Graph::of(&[
            links("web", &["r/app:1"], &["r/web:1"]),
            links("app", &["r/base:1", "r/tools:1"], &["r/app:1"]),
            links("other", &["r/tools:1"], &[]),
        ])
    }

    #[test]
    fn nodes_come_after_what_they_are_built_from() {
        let g = cascade();
        let at = |n: &str| g.nodes.iter().position(|x| x == n).unwrap();
        assert!(at("r/base:1") < at("task:app"));
        assert!(at("task:app") < at("r/app:1"));
        assert!(at("r/app:1") < at("task:web"));
        assert_eq!(g.roots(), vec!["r/base:1", "r/tools:1"]);
        assert_eq!(g.edges.len(), 6);
    }

    #[test]
    fn a_base_reaches_what_a_patch_of_it_rebuilds() {
        let g = cascade().reached_from("r/base:1");
        assert_eq!(
            g.nodes,
            vec!["r/base:1", "task:app", "r/app:1", "task:web", "r/web:1"]
        );
        assert!(!g.nodes.contains(&"task:other".to_string()));
    }

    #[test]
    fn the_tree_and_dot_show_every_edge() {
        let g = cascade();
        assert_eq!(
            g.tree(),
            "r/base:1\n└── task:app\n    └── r/app:1\n        └── task:web\n            └── r/web:1\n\
             r/tools:1\n├── task:app\n│   └── r/app:1\n│       └── task:web\n│           └── r/web:1\n└── task:other\n"
        );
        let dot = g.dot();
        assert!(dot.contains("\"r/app:1\" -> \"task:web\";"), "{dot}");
        assert!(dot.contains("\"task:app\" [shape=box];"), "{dot}");
    }

    /// The upstreams are what the graph shows: task, image, task.
    #[test]
    fn upstreams_are_the_graph_s_task_to_task_paths() {
        let links = [
            TaskLinks {
                task: "web".to_string(),
                bases: vec!["r/app:1".into()],
                pushed: vec!["r/web:1".into()],
            },
            TaskLinks {
                task: "app".to_string(),
                bases: vec!["r/base:1".into(), "r/tools:1".into()],
                pushed: vec!["r/app:1".into()],
            },
            TaskLinks {
                task: "self".to_string(),
                bases: vec!["r/self:1".into()],
                pushed: vec!["r/self:1".into()],
            },
        ];
        let up = upstreams(&links);
        assert_eq!(
            up,
            BTreeMap::from([("web".to_string(), BTreeSet::from(["app".to_string()]))])
        );
        let g = Graph::of(&links);
        for (task, ups) in &up {
            for u in ups {
                assert!(g.edges.iter().any(|e| e.from == task_node(u)
                    && g.edges.contains(&Edge {
                        from: e.to.clone(),
                        to: task_node(task),
                        digests: Vec::new(),
                    })));
            }
        }
    }

    #[test]
    fn the_tree_marks_each_checked_image_with_its_provenance() {
        let check = |task: &str, status| ProvenanceCheck {
            task: task.into(),
            digest: "sha256:1".into(),
            status,
            reason: None,
        };
        let g = cascade()
            .with_provenance("r/app:1", check("app", ProvenanceStatus::Verified))
            .with_provenance("r/web:1", check("web", ProvenanceStatus::Invalid));
        assert!(
            g.tree().starts_with(
                "r/base:1\n└── task:app\n    └── r/app:1 [verified]\n        └── task:web\n            └── r/web:1 [invalid]\n"
            ),
            "{}",
            g.tree()
        );
        let reached = g.reached_from("r/app:1");
        assert_eq!(reached.provenance.len(), 2);
        let reached = g.reached_from("r/tools:1").reached_from("task:other");
        assert!(reached.provenance.is_empty());
    }

    #[test]
    fn a_task_built_on_its_own_image_is_shown_once() {
        let g = Graph::of(&[TaskLinks {
            task: "self".into(),
            bases: vec!["r/self:1".into()],
            pushed: vec!["r/self:1".into()],
        }]);
        assert_eq!(g.nodes.len(), 2);
        assert!(g.tree().is_empty() || g.tree().contains("(cycle)"));
    }
}
