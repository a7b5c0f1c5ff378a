//! The one owner of a running run's record: its status and runner, its builder, its steps as
//! they start and end, its process groups, its pushes as they happen, and how it ended.
//!
//! [`RunRecord`] is what a record keeps; [`StoredRun`] keeps it in the store, on one
//! connection, and [`MemoryRun`] in memory (for tests of the engine). [`Journal`] is the
//! engine's handle: every call runs on a thread of its own, so that a busy store (a write
//! waits on the busy timeout, every commit syncs) never stalls the runtime that pumps the
//! parallel steps' logs and watches their timeouts.

use std::sync::mpsc;

use crate::error::{Result, failed};
use crate::model::RunKey;
use crate::model::Task;
use crate::model::run::{ImageDescriptor, Run, StepRecord};
use crate::model::status::RunStatus;
use crate::store::{ProcessGroup, RecordedBase, Store};

/// A run's record as the engine keeps it while the run executes.
pub trait RunRecord: Send + 'static {
    /// The run's stored spec (JSON).
    fn spec(&mut self) -> Result<Option<String>>;
    /// Marks the run Running with `runner` (pid, start time) as its runner and `builder` as its
    /// builder, unless it already ended (canceled while queued); the run, None if there is none.
    fn start(&mut self, runner: (i64, Option<i64>), builder: Option<&str>) -> Result<Option<Run>>;
    /// The run's task as it is now, found by the id the run was started for.
    fn task(&mut self) -> Result<Option<Task>>;
    /// The run as recorded now.
    fn run(&mut self) -> Result<Option<Run>>;
    /// Changes the recorded run (unless it already ended: a cancel stands).
    fn update(&mut self, change: &mut dyn FnMut(&mut Run)) -> Result<()>;
    fn add_group(&mut self, group: ProcessGroup) -> Result<()>;
    /// Forgets a group whose step ended (with the record's next write: a group left recorded
    /// by a killed run is checked by its leader's start time before any signal).
    fn group_ended(&mut self, pgid: i64);
    fn groups(&mut self) -> Result<Vec<ProcessGroup>>;
    /// The run's final record and its task's bases; false if the run had already ended.
    fn finish(&mut self, run: &Run, bases: &[RecordedBase]) -> Result<bool>;
    /// What the task's earlier runs left: its recorded bases and its last successful run.
    fn previous(&mut self, task: &str) -> Result<Previous>;
    /// Stops what a run that did not end by itself left: its process groups, its containers.
    fn clean_up(&mut self) -> Result<()>;
    /// The builders the other unfinished runs recorded (`Run::builders`), each once per run:
    /// how busy each builder of the pool is.
    fn busy_builders(&mut self) -> Result<Vec<String>>;
}

/// What a task's earlier runs left: the bases its runs recorded and its last successful run.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub bases: Vec<RecordedBase>,
    pub last: Option<Run>,
}

/// The run's task's [`Previous`], read from the run's record when a part of the run first
/// asks for it (a rebase, the platforms a build keeps, the image it does not push again), so
/// that every part starts from the same last run. A run of no task has none.
pub struct PreviousOnce<'a> {
    journal: &'a Journal,
    task: Option<String>,
    read: tokio::sync::OnceCell<Result<Previous>>,
}

impl<'a> PreviousOnce<'a> {
    pub fn new(journal: &'a Journal, task: Option<&str>) -> PreviousOnce<'a> {
        PreviousOnce {
            journal,
            task: task.map(str::to_string),
            read: tokio::sync::OnceCell::new(),
        }
    }

    /// What the task's earlier runs left; a failure to read it, the same to every asker.
    pub async fn get(&self) -> std::result::Result<&Previous, &anyhow::Error> {
        let read = self.read.get_or_init(|| async {
            match self.task.clone() {
                Some(task) => self.journal.call(move |r| r.previous(&task)).await,
                None => Ok(Previous::default()),
            }
        });
        read.await.as_ref()
    }
}

/// A run's record in the store.
pub struct StoredRun {
    store: Store,
    key: RunKey,
    /// Groups whose steps ended, forgotten with the next write.
    ended: Vec<i64>,
}

impl StoredRun {
    pub fn new(store: Store, key: RunKey) -> StoredRun {
        StoredRun {
            store,
            key,
            ended: Vec::new(),
        }
    }
}

impl RunRecord for StoredRun {
    fn spec(&mut self) -> Result<Option<String>> {
        self.store.run_spec(&self.key)
    }

    fn start(&mut self, runner: (i64, Option<i64>), builder: Option<&str>) -> Result<Option<Run>> {
        self.store.start_run(&self.key, runner, builder)
    }

    fn task(&mut self) -> Result<Option<Task>> {
        self.store.task_of_run(&self.key)
    }

    fn run(&mut self) -> Result<Option<Run>> {
        Ok(self.store.get_run(&self.key)?.map(|r| r.run))
    }

    fn update(&mut self, change: &mut dyn FnMut(&mut Run)) -> Result<()> {
        self.store
            .update_unfinished_run(&self.key, change, &self.ended)?;
        self.ended.clear();
        Ok(())
    }

    fn add_group(&mut self, group: ProcessGroup) -> Result<()> {
        self.store.add_run_group(&self.key, group, &self.ended)?;
        self.ended.clear();
        Ok(())
    }

    fn group_ended(&mut self, pgid: i64) {
        self.ended.push(pgid);
    }

    fn groups(&mut self) -> Result<Vec<ProcessGroup>> {
        let mut groups = self.store.run_groups(&self.key)?;
        groups.retain(|g| !self.ended.contains(&g.pgid));
        Ok(groups)
    }

    fn finish(&mut self, run: &Run, bases: &[RecordedBase]) -> Result<bool> {
        self.store.complete_run(&self.key.registry, run, bases)
    }

    fn previous(&mut self, task: &str) -> Result<Previous> {
        let bases = self.store.base_images(&self.key.registry, task)?;
        let filter = crate::store::RunFilter {
            task: Some(task),
            status: Some(RunStatus::Succeeded),
            top: 1,
            ..crate::store::RunFilter::default()
        };
        let last = self
            .store
            .list_runs(&self.key.registry, &filter)?
            .into_iter()
            .next();
        Ok(Previous { bases, last })
    }

    fn clean_up(&mut self) -> Result<()> {
        super::cleanup::clean_up(&self.store, &self.key)
    }

    fn busy_builders(&mut self) -> Result<Vec<String>> {
        let others = self
            .store
            .unfinished_runs()?
            .into_iter()
            .filter(|r| r.registry != self.key.registry || r.run.run_id != self.key.run_id);
        Ok(others
            .flat_map(|r| {
                r.run
                    .builders()
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect())
    }
}

/// A run's record in memory: what the engine's own tests give it.
#[derive(Debug, Clone, Default)]
pub struct MemoryRun {
    pub run: Option<Run>,
    pub spec: Option<String>,
    pub task: Option<Task>,
    pub groups: Vec<ProcessGroup>,
    /// Every group ever recorded, and every state of the run written, in order.
    pub group_log: Vec<ProcessGroup>,
    pub writes: Vec<Run>,
    pub bases: Vec<RecordedBase>,
    pub finished: bool,
    /// How many times the task's earlier runs were read.
    pub previous_reads: usize,
}

impl RunRecord for std::sync::Arc<std::sync::Mutex<MemoryRun>> {
    fn spec(&mut self) -> Result<Option<String>> {
        Ok(self.lock().map_err(|_| failed("poisoned"))?.spec.clone())
    }

    fn start(&mut self, _runner: (i64, Option<i64>), builder: Option<&str>) -> Result<Option<Run>> {
        let mut m = self.lock().map_err(|_| failed("poisoned"))?;
        let Some(run) = m.run.as_mut() else {
            return Ok(None);
        };
        if !run.status.is_final() {
            run.status = RunStatus::Running;
            run.builder = builder.map(str::to_string);
        }
        let run = run.clone();
        m.writes.push(run.clone());
        Ok(Some(run))
    }

    fn task(&mut self) -> Result<Option<Task>> {
        Ok(self.lock().map_err(|_| failed("poisoned"))?.task.clone())
    }

    fn run(&mut self) -> Result<Option<Run>> {
        Ok(self.lock().map_err(|_| failed("poisoned"))?.run.clone())
    }

    fn update(&mut self, change: &mut dyn FnMut(&mut Run)) -> Result<()> {
        let mut m = self.lock().map_err(|_| failed("poisoned"))?;
        if let Some(run) = m.run.as_mut().filter(|r| !r.status.is_final()) {
            change(run);
            let run = run.clone();
            m.writes.push(run);
        }
        Ok(())
    }

    fn add_group(&mut self, group: ProcessGroup) -> Result<()> {
        let mut m = self.lock().map_err(|_| failed("poisoned"))?;
        m.groups.push(group);
        m.group_log.push(group);
        Ok(())
    }

    fn group_ended(&mut self, pgid: i64) {
        if let Ok(mut m) = self.lock() {
            m.groups.retain(|g| g.pgid != pgid);
        }
    }

    fn groups(&mut self) -> Result<Vec<ProcessGroup>> {
        Ok(self.lock().map_err(|_| failed("poisoned"))?.groups.clone())
    }

    fn finish(&mut self, run: &Run, bases: &[RecordedBase]) -> Result<bool> {
        let mut m = self.lock().map_err(|_| failed("poisoned"))?;
        if m.run.as_ref().is_some_and(|r| r.status.is_final()) {
            return Ok(false);
        }
        m.run = Some(run.clone());
        m.writes.push(run.clone());
        m.bases = bases.to_vec();
        m.finished = true;
        Ok(true)
    }

    fn previous(&mut self, _task: &str) -> Result<Previous> {
        self.lock().map_err(|_| failed("poisoned"))?.previous_reads += 1;
        Ok(Previous::default())
    }

    fn clean_up(&mut self) -> Result<()> {
        let groups = self.groups()?;
        super::process::stop_groups_blocking(&groups, std::time::Duration::from_secs(1));
        Ok(())
    }

    fn busy_builders(&mut self) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

type Job = Box<dyn FnOnce(&mut dyn RunRecord) + Send>;

/// The engine's handle on a run's record: each call runs on the record's own thread, in order.
pub struct Journal {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Journal {
    pub fn new(mut record: Box<dyn RunRecord>) -> Result<Journal> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("run-journal".into())
            .spawn(move || {
                for job in queue {
                    job(record.as_mut());
                }
            })?;
        Ok(Journal {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    fn send<T: Send + 'static>(
        &self,
        call: impl FnOnce(&mut dyn RunRecord) -> Result<T> + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<Result<T>>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |record| {
            let _ = reply.send(call(record));
        });
        self.jobs
            .as_ref()
            .and_then(|jobs| jobs.send(job).ok())
            .ok_or_else(|| failed("the run's record is closed"))?;
        Ok(answer)
    }

    /// Runs `call` on the record, waiting for it without holding up the runtime.
    pub async fn call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&mut dyn RunRecord) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.send(call)?
            .await
            .map_err(|_| failed("the run's record stopped"))?
    }

    /// [`Journal::call`] from code that is not async (a drop, a panic hook).
    pub fn call_blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&mut dyn RunRecord) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.send(call)?
            .blocking_recv()
            .map_err(|_| failed("the run's record stopped"))?
    }

    /// Records a process group a step of the run started in.
    pub async fn add_group(&self, group: ProcessGroup) -> Result<()> {
        self.call(move |r| r.add_group(group)).await
    }

    /// Forgets a group whose step ended, with the record's next write (a group left recorded
    /// is checked by its leader's start time before it is signalled).
    pub fn remove_group(&self, group: ProcessGroup) {
        let _ = self.send(move |r| {
            r.group_ended(group.pgid);
            Ok(())
        });
    }

    /// Stops every running step of the run (SIGTERM, then SIGKILL after `grace`).
    pub async fn stop_all(&self, grace: std::time::Duration) {
        let groups = self.call(|r| r.groups()).await.unwrap_or_default();
        super::process::kill_groups(groups, grace).await;
    }

    /// Records an image the run pushed, as soon as it is in the registry.
    pub async fn pushed(&self, image: ImageDescriptor) -> Result<()> {
        self.call(move |r| {
            r.update(&mut |run| {
                let images = run.output_images.get_or_insert_with(Vec::new);
                images.retain(|i| {
                    (&i.registry, &i.repository, &i.tag)
                        != (&image.registry, &image.repository, &image.tag)
                });
                images.push(image.clone());
            })
        })
        .await
    }

    /// Records the steps of a multi-step run as they are now.
    pub async fn steps(&self, steps: Vec<StepRecord>) -> Result<()> {
        self.call(move |r| r.update(&mut |run| run.steps = Some(steps.clone())))
            .await
    }

    /// [`Journal::steps`] without waiting for it: a step that starts or ends goes on at once
    /// (the record is written in order, before the run's final one).
    pub fn record_steps(&self, steps: &[StepRecord]) {
        let steps = steps.to_vec();
        let _ = self.send(move |r| r.update(&mut |run| run.steps = Some(steps.clone())));
    }

    /// Whether the run was canceled (from any process).
    pub async fn canceled(&self) -> bool {
        self.call(|r| r.run())
            .await
            .ok()
            .flatten()
            .is_some_and(|run| run.status == RunStatus::Canceled)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // Every call sent so far is done before the record is let go.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::{Journal, MemoryRun, PreviousOnce};

    #[tokio::test]
    async fn a_run_reads_its_tasks_earlier_runs_once_however_often_asked() {
        let record = Arc::new(Mutex::new(MemoryRun::default()));
        let journal = Journal::new(Box::new(record.clone())).unwrap();
        let previous = PreviousOnce::new(&journal, Some("app"));
        for _ in 0..3 {
            assert!(previous.get().await.unwrap().last.is_none());
        }
        let of_no_task = PreviousOnce::new(&journal, None);
        assert!(of_no_task.get().await.unwrap().bases.is_empty());
        drop(journal);
        assert_eq!(record.lock().unwrap().previous_reads, 1);
    }
}
