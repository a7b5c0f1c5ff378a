//! Whether a built image is the image a task's last run pushed, judged by their configs: the
//! one rule for every builder. An image's config names its layers by their uncompressed
//! digests (`rootfs.diff_ids`) and holds everything else the image is, so two configs that
//! are equal but for their wall-clock times describe the same content, whatever the builder
//! and however the layers were compressed when pushed.

use serde_json::Value;

/// How a built image's config compares with a pushed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sameness {
    /// Byte for byte the same config (the same config digest).
    Identical,
    /// The same layers (`rootfs.diff_ids`) and the same config once its times are left out:
    /// a builder that stamps its own clock (docker's `docker build` before BuildKit 0.11,
    /// any build without SOURCE_DATE_EPOCH) built the same content again.
    SameButTimes,
    Different,
}

impl Sameness {
    pub fn same(self) -> bool {
        self != Sameness::Different
    }

    /// Why the image counts as the same, for the run's log.
    pub fn describe(self) -> &'static str {
        match self {
            Sameness::Identical => "its config is byte for byte the one pushed",
            Sameness::SameButTimes => {
                "its config differs from the one pushed only in its times, and its layers are the same"
            }
            Sameness::Different => "its config or its layers differ from the one pushed",
        }
    }
}

/// Compares a built image's config (its digest, `built_digest`) with the pushed one (its
/// digest and what it says): the same digest is the same config; else their contents.
pub fn compare(built_digest: &str, built: &Value, pushed_digest: &str, pushed: &Value) -> Sameness {
    if built_digest == pushed_digest {
        return Sameness::Identical;
    }
    compare_values(built, pushed)
}

/// Two configs whose digests differ: the same layers, and equal but for their times.
fn compare_values(built: &Value, pushed: &Value) -> Sameness {
    let layers = |c: &Value| c["rootfs"]["diff_ids"].as_array().cloned();
    if layers(built).is_none() || layers(built) != layers(pushed) {
        return Sameness::Different;
    }
    if without_times(built) == without_times(pushed) {
        Sameness::SameButTimes
    } else {
        Sameness::Different
    }
}

/// The config without its wall-clock fields: the image's `created` and each history entry's
/// `created` (the image-spec's only times; the rest says what the image is).
fn without_times(config: &Value) -> Value {
    let mut config = config.clone();
    if let Some(object) = config.as_object_mut() {
        object.remove("created");
    }
    if let Some(history) = config["history"].as_array_mut() {
        for entry in history.iter_mut().filter_map(Value::as_object_mut) {
            entry.remove("created");
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(created: &str, diff_id: &str, env: &str) -> Value {
        json!({
            "created": created,
            "architecture": "amd64",
            "os": "linux",
            "config": {"Env": [env]},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": created, "created_by": "COPY busybox /bin/busybox"}]
        })
    }

    #[test]
    fn only_times_may_differ_between_configs_of_one_image() {
        let at = |created: &str, diff_id: &str, env: &str| config(created, diff_id, env);
        let pushed = at("2026-01-01T00:00:00Z", "sha256:a", "A=1");
        let bare = json!({"os": "linux"});
        let cases = [
            // The same config digest.
            (
                "sha256:1",
                pushed.clone(),
                pushed.clone(),
                Sameness::Identical,
            ),
            // Another clock, the same layers and settings.
            (
                "sha256:2",
                at("2026-02-02T00:00:00Z", "sha256:a", "A=1"),
                pushed.clone(),
                Sameness::SameButTimes,
            ),
            // Another layer, or another setting.
            (
                "sha256:2",
                at("2026-01-01T00:00:00Z", "sha256:b", "A=1"),
                pushed.clone(),
                Sameness::Different,
            ),
            (
                "sha256:2",
                at("2026-01-01T00:00:00Z", "sha256:a", "A=2"),
                pushed.clone(),
                Sameness::Different,
            ),
            // A config naming no layers is never taken for another.
            ("sha256:2", bare.clone(), bare, Sameness::Different),
        ];
        for (built_digest, built, pushed, expected) in cases {
            assert_eq!(
                compare(built_digest, &built, "sha256:1", &pushed),
                expected,
                "{built}"
            );
        }
    }
}
