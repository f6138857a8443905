//! The local log of submitted jobs, so a reload does not lose them: where (origin, hub,
//! object), which job, which file and rows, and the last state seen. Rows and lines are
//! kept as ranges, so a 10,000-row job costs a few bytes. Never a secret: the log is meant
//! for browser storage.

use serde::{Deserialize, Serialize};

/// How many jobs the log keeps (the oldest go first).
pub const KEEP: usize = 200;

/// One submitted job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedJob {
    /// `scheme://host[:port]` of the tenant.
    pub origin: String,
    /// The hub, if any.
    pub hub: Option<String>,
    /// The object.
    pub object: String,
    /// The job id.
    pub job: String,
    /// The source file's name.
    pub file: String,
    /// Table rows of the job, in file order, as inclusive ranges.
    pub rows: Vec<(u32, u32)>,
    /// Their lines in the file, as inclusive ranges.
    pub lines: Vec<(u64, u64)>,
    /// When it was submitted (epoch ms).
    pub submitted_ms: f64,
    /// The last state seen.
    pub state: String,
    /// Records processed, when known.
    pub records: Option<u64>,
    /// Records failed, when known.
    pub failed: Option<u64>,
    /// The [`fingerprint`] of the rows it came from, so a renamed copy of the file is
    /// recognised too (absent in logs written before it existed).
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Not a job: an upload of these rows that lost its answer, while the connector listed
    /// [`LoggedJob::candidates`] as new (`job` is empty). Logged so that the rows are not
    /// offered again as never sent after a reload; never followed as a job of this
    /// browser's, never matched with another entry.
    #[serde(default)]
    pub possibly: bool,
    /// The jobs that may hold the rows of a [`LoggedJob::possibly`] entry (none when the job
    /// list could not be read).
    #[serde(default)]
    pub candidates: Vec<String>,
}

/// A short fingerprint of a file's rows: its header, its number of rows, and the first and
/// last rows' cells, hashed (SHA-256, hex, 16 digits). Two copies of one file under
/// different names ("contacts (1).csv") have the same; cheap for a file of any size.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse, joblog::fingerprint};
/// let a = "email\na@x.io\nb@x.io\n";
/// let t = parse(a, &sniff(a)).unwrap();
/// assert_eq!(fingerprint(&t), fingerprint(&parse(a, &sniff(a)).unwrap()));
/// let b = "email\na@x.io\nc@x.io\n";
/// assert_ne!(fingerprint(&t), fingerprint(&parse(b, &sniff(b)).unwrap()));
/// ```
pub fn fingerprint(table: &crate::table::Table) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    // Lengths before text, so no two different tables feed the same bytes.
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    for name in table.headers() {
        put(name);
    }
    put(&table.len().to_string());
    let n = table.len();
    let ends = (0..n.min(50)).chain(n.saturating_sub(50).max(50)..n);
    for r in ends {
        if let Some(row) = table.row(r) {
            for cell in row.fields() {
                put(cell);
            }
        }
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Consecutive values as inclusive ranges.
///
/// ```
/// use bulk_core::joblog::{ranges, expand};
/// let r = ranges(&[1u64, 2, 3, 7, 9, 10]);
/// assert_eq!(r, [(1, 3), (7, 7), (9, 10)]);
/// assert_eq!(expand(&r), [1, 2, 3, 7, 9, 10]);
/// ```
pub fn ranges<T: Copy + PartialEq + std::ops::Add<Output = T> + From<u8>>(
    values: &[T],
) -> Vec<(T, T)> {
    let mut out: Vec<(T, T)> = Vec::new();
    for &v in values {
        match out.last_mut() {
            Some((_, end)) if *end + T::from(1) == v => *end = v,
            _ => out.push((v, v)),
        }
    }
    out
}

/// The values of inclusive ranges.
pub fn expand<T: Copy + PartialOrd + std::ops::Add<Output = T> + From<u8>>(
    ranges: &[(T, T)],
) -> Vec<T> {
    let mut out = Vec::new();
    for &(start, end) in ranges {
        let mut v = start;
        while v <= end {
            out.push(v);
            v = v + T::from(1);
        }
    }
    out
}

/// The log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobLog {
    /// Oldest first.
    pub jobs: Vec<LoggedJob>,
}

impl JobLog {
    /// Reads a stored log; anything unreadable is an empty log.
    pub fn from_json(text: &str) -> JobLog {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The log as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"jobs\":[]}".into())
    }

    /// Adds or updates a job (by origin and id), keeping at most [`KEEP`]. A lost upload
    /// ([`LoggedJob::possibly`]) is always added: it is no job to update.
    pub fn upsert(&mut self, job: LoggedJob) {
        match self
            .jobs
            .iter_mut()
            .filter(|_| !job.possibly)
            .find(|j| !j.possibly && j.origin == job.origin && j.job == job.job)
        {
            Some(j) => *j = job,
            None => self.jobs.push(job),
        }
        if self.jobs.len() > KEEP {
            let extra = self.jobs.len() - KEEP;
            self.jobs.drain(..extra);
        }
    }

    /// Jobs on `origin` that carried rows of a file called `file`, or of a file with the same
    /// [`fingerprint`] (a renamed copy), into `object`, newest first: uploading it again
    /// would send those rows a second time.
    pub fn earlier_uploads<'a>(
        &'a self,
        origin: &'a str,
        object: &'a str,
        file: &'a str,
        fingerprint: &'a str,
    ) -> impl Iterator<Item = &'a LoggedJob> + 'a {
        self.jobs.iter().rev().filter(move |j| {
            j.origin == origin
                && j.object == object
                && (j.file == file || j.fingerprint.as_deref() == Some(fingerprint))
        })
    }

    /// Notes rows whose upload lost its answer while `candidates` were listed as new: one
    /// entry ([`LoggedJob::possibly`]), whatever else the log holds.
    pub fn note_possibly_sent(&mut self, rows_of: LoggedJob, candidates: Vec<String>) {
        self.upsert(LoggedJob {
            job: String::new(),
            possibly: true,
            candidates,
            ..rows_of
        });
    }

    /// Jobs on `origin` not seen finishing, newest first (not those only possibly this
    /// browser's).
    pub fn unfinished(&self, origin: &str) -> Vec<&LoggedJob> {
        self.jobs
            .iter()
            .rev()
            .filter(|j| {
                j.origin == origin && !j.possibly && !crate::JobState::parse(&j.state).is_terminal()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_uploads_of_a_file_are_found_by_origin_object_and_name() {
        let mut log = JobLog::default();
        log.upsert(job("1", "COMPLETED"));
        log.upsert(LoggedJob {
            file: "other.csv".into(),
            ..job("2", "COMPLETED")
        });
        log.upsert(job("3", "RUNNING"));
        let ids: Vec<&str> = log
            .earlier_uploads("https://t.example", "contacts", "c.csv", "-")
            .map(|j| j.job.as_str())
            .collect();
        assert_eq!(ids, ["3", "1"]);
        assert_eq!(
            log.earlier_uploads("https://t.example", "customers", "c.csv", "-")
                .count(),
            0
        );
        // A renamed copy: another name, the same rows.
        log.upsert(LoggedJob {
            file: "c (1).csv".into(),
            fingerprint: Some("f00d".into()),
            ..job("4", "COMPLETED")
        });
        let ids: Vec<&str> = log
            .earlier_uploads("https://t.example", "contacts", "copy.csv", "f00d")
            .map(|j| j.job.as_str())
            .collect();
        assert_eq!(ids, ["4"]);
    }

    fn job(id: &str, state: &str) -> LoggedJob {
        LoggedJob {
            origin: "https://t.example".into(),
            hub: Some("finance".into()),
            object: "contacts".into(),
            job: id.into(),
            file: "c.csv".into(),
            rows: ranges(&[0u32, 1, 2]),
            lines: ranges(&[2u64, 3, 4]),
            submitted_ms: 1.0,
            state: state.into(),
            records: None,
            failed: None,
            fingerprint: None,
            possibly: false,
            candidates: Vec::new(),
        }
    }

    #[test]
    fn rows_possibly_sent_are_logged_for_the_file_but_not_followed() {
        let mut log = JobLog::default();
        log.upsert(job("7", "RUNNING"));
        // Candidates 7 (another upload's own, logged) and 8; then two losses with no list,
        // of two files: each is kept.
        log.note_possibly_sent(job("", ""), vec!["7".into(), "8".into()]);
        log.note_possibly_sent(job("", ""), vec![]);
        log.note_possibly_sent(
            LoggedJob {
                file: "other.csv".into(),
                ..job("", "")
            },
            vec![],
        );
        assert_eq!(log.jobs.len(), 4);
        assert!(!log.jobs[0].possibly && log.jobs[0].state == "RUNNING");
        assert!(log.jobs[1].possibly && log.jobs[1].candidates == ["7", "8"]);
        assert!(log.jobs[2].possibly && log.jobs[2].candidates.is_empty());
        // The file's earlier uploads name them; the jobs to follow do not.
        let earlier = log.earlier_uploads("https://t.example", "contacts", "c.csv", "-");
        assert_eq!(earlier.count(), 3);
        let unfinished: Vec<&str> = log
            .unfinished("https://t.example")
            .iter()
            .map(|j| j.job.as_str())
            .collect();
        assert_eq!(unfinished, ["7"]);
        // Job 7's news updates job 7, not a lost upload that may be in it.
        log.upsert(job("7", "COMPLETED"));
        assert_eq!(log.jobs.len(), 4);
        assert_eq!(log.jobs[0].state, "COMPLETED");
        // A log written before the field existed reads as before.
        let old = r#"{"jobs":[{"origin":"o","hub":null,"object":"x","job":"1","file":"f","rows":[],"lines":[],"submitted_ms":0,"state":"RUNNING","records":null,"failed":null}]}"#;
        assert!(!JobLog::from_json(old).jobs[0].possibly);
    }

    #[test]
    fn the_log_round_trips_and_lists_unfinished_jobs() {
        let mut log = JobLog::default();
        log.upsert(job("1", "COMPLETED"));
        log.upsert(job("2", "RUNNING"));
        log.upsert(job("2", "CANCELLATION_PENDING"));
        let again = JobLog::from_json(&log.to_json());
        assert_eq!(again, log);
        assert_eq!(
            again
                .unfinished("https://t.example")
                .iter()
                .map(|j| j.job.as_str())
                .collect::<Vec<_>>(),
            ["2"]
        );
        assert!(again.unfinished("https://other.example").is_empty());
        assert_eq!(JobLog::from_json("not json"), JobLog::default());
        assert!(!log.to_json().contains("secret"));
    }

    #[test]
    fn the_log_keeps_the_newest() {
        let mut log = JobLog::default();
        for i in 0..KEEP + 5 {
            log.upsert(job(&i.to_string(), "COMPLETED"));
        }
        assert_eq!(log.jobs.len(), KEEP);
        assert_eq!(log.jobs[0].job, "5");
    }
}
