//! The objects acrt stores and prints. Serde names follow the az JSON (camelCase). No I/O.

pub mod argument;
pub mod base;
pub mod builder_kind;
pub mod context;
pub mod graph;
pub mod image;
pub mod image_config;
pub mod names;
pub mod platform;
pub mod pool;
pub mod registry;
pub mod run;
pub mod run_key;
pub mod source_date;
pub mod status;
pub mod system_data;
pub mod task;
pub mod trigger;

pub use argument::{Argument, BuildArg};
pub use builder_kind::BuilderKind;
pub use context::ContextLocation;
pub use platform::{Platform, Platforms};
pub use run_key::RunKey;
pub use source_date::SourceDateEpoch;
pub use task::{Task, TaskStep};
