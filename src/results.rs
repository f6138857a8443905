//! What the person takes away after uploading: the request preview (a shell command, with
//! the secrets left out) and the result report (every row with its fate).

use crate::browser;
use crate::flow::Flow;
use crate::notice::{Notice, Tone};
use crate::uploading::UploadSettings;
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

    /// The result of every row, as a report to download (written by the keeper of the
    /// rows, which reads the rows sent as they were sent, not as edited or undone since).
    pub fn download_results(self) {
        leptos::task::spawn_local(async move { self.download_results_now().await });
    }

    async fn download_results_now(self) {
        let Some(file) = self.reading.file.get_untracked() else {
            return;
        };
        let bytes = self.fetch_results_csv().await;
        let stem = file.stem();
        match bytes {
            Some(Ok(written)) => {
                if let Err(e) = browser::save(&format!("{stem}-results.csv"), written) {
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
