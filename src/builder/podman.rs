//! podman: daemonless like buildah, with the same flags; `podman build`, `podman push`.

use std::path::{Path, PathBuf};

use super::{BuildPlan, BuildRequest, Builder, containers_plan};
use crate::error::Result;

pub struct Podman {
    pub program: PathBuf,
}

impl Builder for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        containers_plan(
            &self.program,
            &["build", "--force-rm"],
            Vec::new(),
            |image| vec![image.into()],
            request,
            work,
        )
    }
}
