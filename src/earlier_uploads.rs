//! Whether the file open now went up before, by the browser's job log: the jobs of an earlier
//! reading of a file with its name or its rows (for this tenant and object), and lost uploads
//! of it. Uploading such a file needs the person's word, given again for each file; the
//! Upload button and the footer both ask here, so they never disagree.

use crate::flow::Flow;
use bulk_core::joblog::LoggedJob;
use bulk_core::outcome::Outcome;
use leptos::prelude::*;

/// What the log knows of the file open now went up before.
pub struct EarlierUploads {
    /// The file's name.
    pub file: String,
    /// The object.
    pub object: String,
    /// The jobs and lost uploads that carried its rows, newest first.
    pub jobs: Vec<LoggedJob>,
}

impl Flow {
    /// The earlier uploads of the file open now, or `None` when the log knows of none.
    pub fn earlier_uploads(self) -> Option<EarlierUploads> {
        let file = self.reading.file.get()?;
        let conn = self.connection.conn.get()?;
        let object = self.connection.object.get()?;
        let origin = conn.base.origin();
        let jobs: Vec<LoggedJob> = self.upload.joblog.with(|log| {
            self.upload.ledger.with(|l| {
                log.earlier_uploads(&origin, &object, &file.name, &file.fingerprint)
                    // Not this reading's own uploads: their rows are in its ledger.
                    // A lost upload is this reading's when its rows are possibly sent here.
                    .filter(|j| match j.possibly {
                        true => j.rows.first().is_none_or(|r| {
                            !matches!(l.outcome(r.0 as usize), Some(Outcome::PossiblySent(_)))
                        }),
                        false => l.rows_of(&bulk_core::JobId::new(&j.job)).is_empty(),
                    })
                    .cloned()
                    .collect()
            })
        });
        (!jobs.is_empty()).then(|| EarlierUploads {
            file: file.name.clone(),
            object,
            jobs,
        })
    }

    /// Upload waits for the person's word that the file's earlier uploads were checked.
    pub fn upload_held(self) -> bool {
        !self.upload.acknowledged.get() && self.earlier_uploads().is_some()
    }
}
