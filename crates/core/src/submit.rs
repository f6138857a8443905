//! Submitting bulk jobs without ever creating one twice unknowingly. Rows are split into
//! jobs of a chosen size. A failed submit is repeated only when the answer proves the job
//! was not created (429, 503); when the outcome is unknown (no answer, a dropped
//! connection, 500, 502, 504, an unreadable answer) the instance's job list is asked
//! whether a job for this object appeared since the submit: exactly one such job is
//! adopted, none means the submit can be sent again, several mean the person must decide.

use crate::api::ApiError;
use crate::job::{JobId, JobSummary};

/// The default rows per job.
pub const DEFAULT_JOB_ROWS: usize = 10_000;
/// Jobs submitted at the same time.
pub const CONCURRENCY: usize = 2;
/// Attempts at one submit before giving up.
pub const MAX_ATTEMPTS: u32 = 5;

/// Splits `rows` into jobs of at most `size` rows, in order.
///
/// ```
/// let jobs = bulk_core::submit::split(&[1, 2, 3, 4, 5], 2);
/// assert_eq!(jobs, vec![vec![1, 2], vec![3, 4], vec![5]]);
/// ```
pub fn split<T: Clone>(rows: &[T], size: usize) -> Vec<Vec<T>> {
    rows.chunks(size.max(1)).map(<[T]>::to_vec).collect()
}

/// What to do after a submit failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// The job was certainly not created: send again after this many ms.
    Retry(u64),
    /// The job may have been created: look at the job list before sending again.
    Reconcile,
    /// Stop and tell the person.
    GiveUp,
}

/// The decision after attempt `attempt` (1-based) failed with `error`.
///
/// ```
/// use bulk_core::{ApiError, submit::{after_failure, AfterFailure}};
/// let busy = ApiError::RateLimited { retry_after_secs: Some(2), message: None };
/// assert_eq!(after_failure(&busy, 1), AfterFailure::Retry(2000));
/// let gone = ApiError::Network { detail: "reset".into() };
/// assert_eq!(after_failure(&gone, 1), AfterFailure::Reconcile);
/// assert_eq!(after_failure(&ApiError::Unauthorized { message: None }, 1), AfterFailure::GiveUp);
/// ```
pub fn after_failure(error: &ApiError, attempt: u32) -> AfterFailure {
    if attempt >= MAX_ATTEMPTS {
        return AfterFailure::GiveUp;
    }
    let backoff = 1000u64 << attempt.min(5);
    match error {
        // Refused before any work: 429 and 503 say "not now".
        ApiError::RateLimited { .. } => AfterFailure::Retry(
            error
                .retry_after_secs()
                .map(|s| s * 1000)
                .unwrap_or(backoff)
                .max(500),
        ),
        ApiError::Server { status: 503, .. } => AfterFailure::Retry(
            error
                .retry_after_secs()
                .map(|s| s * 1000)
                .unwrap_or(backoff)
                .max(500),
        ),
        // The server may have created the job before failing or before the answer was lost.
        ApiError::Network { .. } | ApiError::Server { .. } | ApiError::Malformed { .. } => {
            AfterFailure::Reconcile
        }
        _ => AfterFailure::GiveUp,
    }
}

/// What the job list says about a submit whose outcome is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reconciled {
    /// Exactly one new job for the object: it is ours.
    Adopt(JobId),
    /// No new job: the submit did not arrive; it is safe to send again.
    NotCreated,
    /// Several new jobs: which is ours cannot be told.
    Ambiguous(Vec<JobId>),
}

/// Finds the job a lost submit may have created: jobs for `object`, created at or after
/// `since_ms` minus `skew_ms` (clocks differ), that are not already `known`.
///
/// ```
/// use bulk_core::{JobId, JobState, job::JobSummary, submit::{reconcile, Reconciled}};
/// let job = |id: &str, object: &str, created: i64| JobSummary { id: JobId::new(id), state: JobState::Created,
///     object_name: Some(object.into()), job_direction: Some("UPLOAD".into()), record_count: None,
///     error_count: None, created_ms: Some(created) };
/// let list = [job("7", "contacts", 1_000), job("8", "contacts", 5_000), job("9", "customers", 5_000)];
/// assert_eq!(reconcile(&list, "contacts", 4_000, 0, &[]), Reconciled::Adopt(JobId::new("8")));
/// assert_eq!(reconcile(&list, "contacts", 4_000, 0, &[JobId::new("8")]), Reconciled::NotCreated);
/// ```
pub fn reconcile(
    jobs: &[JobSummary],
    object: &str,
    since_ms: i64,
    skew_ms: i64,
    known: &[JobId],
) -> Reconciled {
    let fresh: Vec<JobId> = jobs
        .iter()
        .filter(|j| j.object_name.as_deref() == Some(object))
        .filter(|j| {
            j.job_direction
                .as_deref()
                .is_none_or(|d| d.eq_ignore_ascii_case("UPLOAD"))
        })
        .filter(|j| j.created_ms.is_some_and(|c| c >= since_ms - skew_ms))
        .filter(|j| !known.contains(&j.id))
        .map(|j| j.id.clone())
        .collect();
    match fresh.len() {
        0 => Reconciled::NotCreated,
        1 => Reconciled::Adopt(fresh[0].clone()),
        _ => Reconciled::Ambiguous(fresh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_that_prove_nothing_was_created_are_retried() {
        let cases = [
            (
                ApiError::RateLimited {
                    retry_after_secs: None,
                    message: None,
                },
                AfterFailure::Retry(2000),
            ),
            (
                ApiError::Server {
                    status: 503,
                    retry_after_secs: Some(3),
                    message: None,
                },
                AfterFailure::Retry(3000),
            ),
            (
                ApiError::Server {
                    status: 500,
                    retry_after_secs: None,
                    message: None,
                },
                AfterFailure::Reconcile,
            ),
            (
                ApiError::Server {
                    status: 502,
                    retry_after_secs: None,
                    message: None,
                },
                AfterFailure::Reconcile,
            ),
            (
                ApiError::Malformed {
                    status: 200,
                    detail: "x".into(),
                },
                AfterFailure::Reconcile,
            ),
            (
                ApiError::Rejected {
                    status: 400,
                    message: None,
                },
                AfterFailure::GiveUp,
            ),
            (ApiError::NotFound { message: None }, AfterFailure::GiveUp),
        ];
        for (e, want) in cases {
            assert_eq!(after_failure(&e, 1), want, "{e:?}");
        }
        assert_eq!(
            after_failure(
                &ApiError::Network {
                    detail: String::new()
                },
                MAX_ATTEMPTS
            ),
            AfterFailure::GiveUp
        );
    }

    #[test]
    fn several_new_jobs_are_ambiguous_and_downloads_do_not_count() {
        let job = |id: &str, dir: &str| JobSummary {
            id: JobId::new(id),
            state: crate::JobState::Created,
            object_name: Some("contacts".into()),
            job_direction: Some(dir.into()),
            record_count: None,
            error_count: None,
            created_ms: Some(10),
        };
        let list = [job("1", "UPLOAD"), job("2", "UPLOAD"), job("3", "DOWNLOAD")];
        assert_eq!(
            reconcile(&list, "contacts", 10, 0, &[]),
            Reconciled::Ambiguous(vec![JobId::new("1"), JobId::new("2")])
        );
        assert_eq!(split(&[1], 0), vec![vec![1]]);
    }
}
