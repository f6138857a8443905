//! What the person takes away after uploading: the request preview (a shell command, with
//! the secrets left out) and the result report (every row with its fate).

use crate::browser;
use crate::flow::Flow;
use crate::notice::{Notice, Tone};
use crate::rows::Rows;
use crate::uploading::UploadSettings;
use bulk_core::edits::Edits;
use leptos::prelude::*;

impl Flow {
    /// The upload's request as curl, secrets redacted (the first job's).
    pub fn request_preview(self) -> Option<String> {
        let conn = self.connection.conn.get()?;
        let object = self.connection.object.get()?;
        let options = self.upload.settings.with(UploadSettings::options).ok()?;
        let file = self.reading.file.get()?;
        let stem = file.stem();
        let req = bulk_core::api::create_bulk_job(
            &conn.base,
            &conn.creds,
            &object,
            &format!("{object}-{stem}.csv"),
            Vec::new(),
            &options,
        );
        Some(req.to_curl())
    }

    /// The result of every row, as a report to download.
    pub fn download_results(self) {
        let Some(file) = self.reading.file.get_untracked() else {
            return;
        };
        // Rows sent read as they were sent, not as edited or undone since.
        let as_sent = self.review.edits.with_untracked(|e| {
            self.upload.sent_with.with_value(|runs| {
                let runs: Vec<(&Edits, &[u32])> = runs
                    .iter()
                    .map(|(e, rows)| (&**e, rows.as_slice()))
                    .collect();
                e.as_sent(&runs)
            })
        });
        let bytes = self.review.report.with_untracked(|report| {
            let rows = Rows {
                file: &file,
                edits: &as_sent,
                report: report.as_ref(),
            };
            self.upload.ledger.with_untracked(|l| rows.results_csv(l))
        });
        let stem = file.stem();
        match bytes {
            Some(Ok(b)) => {
                if let Err(e) =
                    browser::download(&format!("{stem}-results.csv"), "text/csv;charset=utf-8", &b)
                {
                    self.upload.upload_notice.set(Some(Notice::new(
                        Tone::Error,
                        format!("The download did not start: {e}"),
                    )));
                }
            }
            Some(Err(e)) => self.upload.upload_notice.set(Some(Notice::new(
                Tone::Error,
                format!("The report could not be written: {e}"),
            ))),
            None => {}
        }
    }
}
