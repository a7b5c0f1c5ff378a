//! `GET /metrics` of `acrt watch --listen`: what a long-running watcher has done, in the
//! Prometheus text format (counters since it started, and the last cycle's seconds).

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::summary::WatchSummary;

#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    cycles: u64,
    bases_checked: u64,
    base_changes: u64,
    bases_missing: u64,
    runs_started: u64,
    runs_failed: u64,
    failures_by_registry: BTreeMap<String, u64>,
    last_cycle_seconds: f64,
}

impl Metrics {
    /// Adds one cycle's summary.
    pub fn add_cycle(&self, summary: &WatchSummary, seconds: f64) {
        let Ok(mut c) = self.inner.lock() else {
            return;
        };
        c.cycles += 1;
        c.bases_checked += summary.bases.checked as u64;
        c.base_changes += summary.bases.changed as u64;
        c.bases_missing += summary.bases.missing as u64;
        c.runs_started += summary.runs.len() as u64;
        c.runs_failed += summary.failed_runs().len() as u64;
        for problem in &summary.failed {
            *c.failures_by_registry
                .entry(problem.registry.clone())
                .or_default() += 1;
        }
        c.last_cycle_seconds = seconds;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let Ok(c) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, value: u64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        };
        counter("acrt_watch_cycles_total", "Watch cycles run.", c.cycles);
        counter(
            "acrt_watch_bases_checked_total",
            "Base image checks that got an answer.",
            c.bases_checked,
        );
        counter(
            "acrt_watch_base_changes_total",
            "Base images found changed.",
            c.base_changes,
        );
        counter(
            "acrt_watch_bases_missing_total",
            "Base image checks that found the tag gone.",
            c.bases_missing,
        );
        counter(
            "acrt_watch_runs_started_total",
            "Runs started by the watch.",
            c.runs_started,
        );
        counter(
            "acrt_watch_runs_failed_total",
            "Runs started by the watch that did not succeed.",
            c.runs_failed,
        );
        out.push_str("# HELP acrt_watch_base_failures_total Base image checks that could not be done, by registry.\n# TYPE acrt_watch_base_failures_total counter\n");
        for (registry, n) in &c.failures_by_registry {
            let registry = registry.replace('\\', "\\\\").replace('"', "\\\"");
            out.push_str(&format!(
                "acrt_watch_base_failures_total{{registry=\"{registry}\"}} {n}\n"
            ));
        }
        out.push_str(&format!(
            "# HELP acrt_watch_cycle_seconds How long the last cycle took.\n# TYPE acrt_watch_cycle_seconds gauge\nacrt_watch_cycle_seconds {}\n",
            c.last_cycle_seconds
        ));
        out
    }
}
