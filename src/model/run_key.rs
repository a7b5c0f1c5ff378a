//! [`RunKey`]: which run, as the store knows it (run ids are unique within a registry).

/// A run: its registry and its run id, always together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunKey {
    pub registry: String,
    pub run_id: String,
}

impl RunKey {
    pub fn new(registry: &str, run_id: &str) -> RunKey {
        RunKey {
            registry: registry.to_string(),
            run_id: run_id.to_string(),
        }
    }
}
