//! podman: daemonless like buildah, with the same flags; `podman build`, `podman push`.

use std::path::Path;

use super::{BuildPlan, BuildRequest, Builder, containers_plan};
use crate::error::Result;

pub struct Podman;

impl Builder for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        containers_plan(
            "podman",
            &["build"],
            Vec::new(),
            |image| vec![image.into()],
            request,
            work,
        )
    }
}
