//! The Upload step's state: the upload options, the jobs of this file and of the files
//! before it, what became of each row sent (the ledger), and the log of jobs this browser
//! submitted (kept across reloads, never a secret). The actions are in
//! [`crate::uploading`], [`crate::submitting`], [`crate::following`] and [`crate::results`].

use crate::jobs::JobView;
use crate::notice::Notice;
use crate::storage;
use crate::uploading::{JOB_LOG_KEY, UploadSettings};
use bulk_core::joblog::JobLog;
use bulk_core::outcome::Ledger;
use leptos::prelude::*;

/// The jobs and what they did.
#[derive(Clone, Copy)]
pub struct Upload {
    /// The current file's jobs, newest first.
    pub jobs: RwSignal<Vec<JobView>>,
    /// Jobs of the files chosen before it in this session, newest first (still followed).
    pub history: RwSignal<Vec<JobView>>,
    /// What became of each row that was sent.
    pub ledger: RwSignal<Ledger>,
    /// The upload options.
    pub settings: RwSignal<UploadSettings>,
    /// The jobs submitted from this browser (kept across reloads).
    pub joblog: RwSignal<JobLog>,
    /// A problem with submitting.
    pub upload_notice: RwSignal<Option<Notice>>,
    /// A submit is under way.
    pub uploading: RwSignal<bool>,
    /// The person ticked that the open file's earlier uploads were checked
    /// ([`crate::earlier_uploads`]); asked again for each file.
    pub acknowledged: RwSignal<bool>,
}

impl Upload {
    /// No job yet; the job log is read back from browser storage.
    pub fn new() -> Upload {
        Upload {
            jobs: RwSignal::new(Vec::new()),
            history: RwSignal::new(Vec::new()),
            ledger: RwSignal::new(Ledger::default()),
            settings: RwSignal::new(UploadSettings::default()),
            joblog: RwSignal::new(
                storage::get(JOB_LOG_KEY)
                    .map(|t| JobLog::from_json(&t))
                    .unwrap_or_default(),
            ),
            upload_notice: RwSignal::new(None),
            uploading: RwSignal::new(false),
            acknowledged: RwSignal::new(false),
        }
    }

    /// The ids of every job this session follows, the earlier files' included.
    pub fn all_job_ids(self) -> Vec<bulk_core::JobId> {
        let ids = |j: &Vec<JobView>| j.iter().map(|j| j.id.clone()).collect::<Vec<_>>();
        let mut all = self.jobs.with_untracked(ids);
        all.extend(self.history.with_untracked(ids));
        all
    }

    /// The job is this page's already: followed (this file's or an earlier file's), or one of
    /// this upload's, which is logged a task before it is listed, its rows put in the ledger
    /// in the same task as the log. Not tracked: a caller that must follow these says so.
    pub fn has_job(self, id: &bulk_core::JobId) -> bool {
        let listed = |j: &Vec<JobView>| j.iter().any(|j| j.id == *id);
        self.jobs.with_untracked(listed)
            || self.history.with_untracked(listed)
            || self.ledger.with_untracked(|l| !l.rows_of(id).is_empty())
    }
}

impl Default for Upload {
    fn default() -> Self {
        Upload::new()
    }
}
