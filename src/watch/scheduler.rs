//! The order of a cycle's runs on the task graph: a due task starts once none of its upstreams
//! ([`crate::model::graph::upstreams`]) is due or running, so that it is built on what they
//! push, not on what they pushed before. No I/O: the watcher tells it what is due, what it
//! started, what ended and the upstreams, and asks what may start now.

use std::collections::{BTreeMap, BTreeSet};

/// The due, running and finished tasks of one cycle. `K` names a task, `D` is why it is due.
#[derive(Debug)]
pub struct Schedule<K, D> {
    due: BTreeMap<K, D>,
    /// Each running task's run (its registry and run ID).
    running: BTreeMap<K, String>,
    /// Tasks that ran this cycle: each runs at most once per cycle, so that a task built on
    /// its own image (or a cycle of tasks) does not run for ever.
    done: BTreeSet<K>,
    upstreams: BTreeMap<K, BTreeSet<K>>,
}

impl<K: Ord + Clone, D> Schedule<K, D> {
    pub fn new(due: BTreeMap<K, D>) -> Self {
        Schedule {
            due,
            running: BTreeMap::new(),
            done: BTreeSet::new(),
            upstreams: BTreeMap::new(),
        }
    }

    /// Makes a task due, unless it already ran this cycle; `merge` joins a second reason
    /// into the one it is already due for.
    pub fn add(&mut self, key: K, reason: D, merge: impl FnOnce(&mut D, D)) {
        if self.done.contains(&key) {
            return;
        }
        match self.due.get_mut(&key) {
            Some(was) => merge(was, reason),
            None => {
                self.due.insert(key, reason);
            }
        }
    }

    /// Whether a task may still be made due this cycle (it has not run yet).
    pub fn accepts(&self, key: &K) -> bool {
        !self.done.contains(key)
    }

    /// A run already going for a task (started by an earlier watcher): it counts as running,
    /// and the task's own due work waits for it.
    pub fn adopt(&mut self, key: K, run: String) {
        self.running.insert(key, run);
    }

    /// The tasks due or running, whose upstreams are to be known.
    pub fn pending(&self) -> BTreeSet<K> {
        self.due
            .keys()
            .chain(self.running.keys())
            .cloned()
            .collect()
    }

    pub fn set_upstreams(&mut self, upstreams: BTreeMap<K, BTreeSet<K>>) {
        self.upstreams = upstreams;
    }

    /// The next task that may start, with why it is due, when fewer than `limit` run: one
    /// whose upstreams are neither due nor running. When none is and nothing runs, the
    /// tasks wait on each other (a cycle in the graph): the first due starts.
    pub fn next(&mut self, limit: usize) -> Option<(K, D)> {
        if self.running.len() >= limit.max(1) {
            return None;
        }
        let blocked = |k: &K| {
            self.running.contains_key(k)
                || self.upstreams.get(k).is_some_and(|ups| {
                    ups.iter()
                        .any(|u| self.due.contains_key(u) || self.running.contains_key(u))
                })
        };
        let key = match self.due.keys().find(|k| !blocked(k)) {
            Some(k) => k.clone(),
            None if self.running.is_empty() => self.due.keys().next()?.clone(),
            None => return None,
        };
        let reason = self.due.remove(&key)?;
        self.done.insert(key.clone());
        Some((key, reason))
    }

    /// A task [`Schedule::next`] gave that could not start yet (no builder had room): due
    /// again, as it was.
    pub fn put_back(&mut self, key: K, reason: D) {
        self.done.remove(&key);
        self.due.insert(key, reason);
    }

    pub fn started(&mut self, key: K, run: String) {
        self.running.insert(key, run);
    }

    /// The running tasks and their runs.
    pub fn running(&self) -> &BTreeMap<K, String> {
        &self.running
    }

    pub fn finished(&mut self, key: &K) {
        self.running.remove(key);
    }

    /// Nothing due and nothing running: the cycle's runs are over.
    pub fn is_over(&self) -> bool {
        self.due.is_empty() && self.running.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: &mut &str, _: &str) {}

    /// The diamond: T is built on B and on M's image; both are due for B. T waits until M
    /// has ended, and a push by M does not make T due twice.
    #[test]
    fn a_dependent_waits_for_its_upstream_to_end() {
        let mut s = Schedule::new(BTreeMap::from([("m", "b"), ("t", "b")]));
        s.set_upstreams(BTreeMap::from([("t", BTreeSet::from(["m"]))]));
        assert_eq!(s.next(4), Some(("m", "b")));
        s.started("m", "run1".into());
        assert_eq!(s.next(4), None, "t waits while m runs");
        s.finished(&"m");
        s.add("t", "m pushed", keep);
        s.add("m", "m pushed", keep);
        assert_eq!(s.next(4), Some(("t", "b")));
        s.started("t", "run2".into());
        s.finished(&"t");
        assert!(s.is_over());
    }

    #[test]
    fn a_task_put_back_is_due_again() {
        let mut s = Schedule::new(BTreeMap::from([("a", 1)]));
        let (key, reason) = s.next(4).unwrap();
        s.put_back(key, reason);
        assert_eq!(s.next(4), Some(("a", 1)));
        assert!(s.is_over());
    }

    #[test]
    fn tasks_that_wait_on_each_other_still_run_one_at_a_time() {
        let mut s = Schedule::new(BTreeMap::from([("a", ()), ("b", ())]));
        s.set_upstreams(BTreeMap::from([
            ("a", BTreeSet::from(["b"])),
            ("b", BTreeSet::from(["a"])),
        ]));
        assert_eq!(s.next(4), Some(("a", ())));
        s.started("a", "1".into());
        assert_eq!(s.next(4), None);
        s.finished(&"a");
        assert_eq!(s.next(4), Some(("b", ())));
    }

    #[test]
    fn an_adopted_run_holds_back_its_dependents_and_the_limit() {
        let mut s = Schedule::new(BTreeMap::from([("t", ()), ("x", ())]));
        s.adopt("m", "old".into());
        s.set_upstreams(BTreeMap::from([("t", BTreeSet::from(["m"]))]));
        assert_eq!(s.next(1), None, "the adopted run fills the one place");
        assert_eq!(s.next(2), Some(("x", ())));
        assert_eq!(s.pending(), BTreeSet::from(["m", "t"]));
        s.finished(&"m");
        assert_eq!(s.next(2), Some(("t", ())));
    }
}
