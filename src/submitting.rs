//! Submitting one bulk job safely. A submit is repeated only when the answer proves nothing
//! was created; when the outcome is unknown, the instance's job list decides (see
//! `bulk_core::submit`), one lane at a time so that a lane never takes a sibling's new job
//! for its own.

use crate::browser;
use crate::connection::Connected;
use crate::notice::{Notice, Tone};
use crate::transport;
use bulk_core::JobId;
use bulk_core::api::{self, JobOptions};
use bulk_core::submit::{self, AfterFailure, Reconciled};

/// Why a submit ended without a job: the notice, and when the outcome stayed unclear (its
/// answer lost), the jobs that may hold its rows: several new jobs in the list, or none
/// named when the list could not be read. Its rows are then "possibly sent".
#[derive(Clone, Debug)]
pub struct SubmitFailed(pub Notice, pub Option<Vec<JobId>>, pub Refused);

/// Whether a failed submit was the connector saying the object takes no bulk uploads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// It said so: the object is marked in the object list.
    BulkOff,
    /// Any other failure.
    Other,
}

/// What the lanes of one upload share so that a lost answer is reconciled against the job
/// list without mistaking a sibling's new job for its own: the ids every submit got back,
/// and how many submits are waiting for an answer. A lane that must reconcile takes the
/// turn, lets no new submit start, and waits until none is in flight, so every job in the
/// list that is not in `known` can only be its own.
#[derive(Default)]
pub struct Lanes {
    known: std::cell::RefCell<Vec<JobId>>,
    in_flight: std::cell::Cell<usize>,
    reconciling: std::cell::Cell<bool>,
}

impl Lanes {
    /// Lanes that know the jobs this session already follows.
    pub fn new(known: Vec<JobId>) -> Lanes {
        Lanes {
            known: std::cell::RefCell::new(known),
            ..Lanes::default()
        }
    }

    async fn wait_until(&self, ready: impl Fn() -> bool) {
        while !ready() {
            browser::sleep(50).await;
        }
    }
}

/// Creates a job, repeating only when that is safe, and adopting a job the lost answer of
/// an earlier attempt had created. `known` are job ids this session already follows.
pub async fn create(
    conn: &Connected,
    object: &str,
    file_name: &str,
    csv: Vec<u8>,
    options: &JobOptions,
    lanes: &Lanes,
    progress: &dyn Fn(Notice),
) -> Result<(JobId, bool), SubmitFailed> {
    let since = browser::now_ms() as i64;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let req = api::create_bulk_job(
            &conn.base,
            &conn.creds,
            object,
            file_name,
            csv.clone(),
            options,
        );
        // No submit starts while a lane reads the job list to find out what it created.
        lanes.wait_until(|| !lanes.reconciling.get()).await;
        lanes.in_flight.set(lanes.in_flight.get() + 1);
        let answer = transport::call(&req, api::parse_job_created).await;
        lanes.in_flight.set(lanes.in_flight.get() - 1);
        let error = match answer {
            Ok(created) => {
                lanes.known.borrow_mut().push(created.id.clone());
                return Ok((created.id, false));
            }
            Err(e) => e,
        };
        match submit::after_failure(&error, attempt) {
            AfterFailure::Retry(ms) => {
                let mut n = Notice::api(&error, "creating the bulk job", Some(&conn.base));
                n.tone = Tone::Warning;
                n.hint = Some(format!(
                    "Nothing was created; sending again in {:.0} s.",
                    ms as f64 / 1000.0
                ));
                progress(n);
                browser::sleep(ms).await;
            }
            AfterFailure::Reconcile => {
                progress(Notice::new(
                    Tone::Warning,
                    "The answer to the upload was lost; checking whether the job was created…",
                ));
                // One lane at a time, and only once every other submit has its answer (and
                // its id in `known`): then a new job in the list is this submit's.
                lanes.wait_until(|| !lanes.reconciling.get()).await;
                lanes.reconciling.set(true);
                lanes.wait_until(|| lanes.in_flight.get() == 0).await;
                // Clocks differ: look two minutes back, leaving out the jobs already known.
                let list = transport::call(
                    &api::list_jobs(&conn.base, &conn.creds, 200, None),
                    api::parse_jobs,
                )
                .await;
                let known = lanes.known.borrow().clone();
                let decided =
                    list.map(|p| submit::reconcile(&p.items, object, since, 120_000, &known));
                if let Ok(Reconciled::Adopt(id)) = &decided {
                    lanes.known.borrow_mut().push(id.clone());
                }
                lanes.reconciling.set(false);
                match decided {
                    Ok(Reconciled::Adopt(id)) => return Ok((id, true)),
                    Ok(Reconciled::NotCreated) => browser::sleep(1000 << attempt.min(4)).await,
                    Ok(Reconciled::Ambiguous(ids)) => {
                        let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
                        return Err(SubmitFailed(Notice {
                            tone: Tone::Error,
                            title: "The upload may have created a job, but which one is unclear".into(),
                            detail: Some(format!("New jobs for {object}: {}. Nothing was sent again; the rows of this part are marked “possibly sent”.", names.join(", "))),
                            hint: Some("Look at them under “Jobs on this connector” before uploading again.".into()),
                        }, Some(ids), Refused::Other));
                    }
                    Err(e) => {
                        let mut n = Notice::api(
                            &e,
                            "checking whether the job was created",
                            Some(&conn.base),
                        );
                        // Whether the job was created is unknown: its rows may be on the
                        // connector, and are never offered as "not yet sent".
                        n.hint = Some("Nothing was sent again; the rows of this part are marked “possibly sent”. Look under “Jobs on this connector” before uploading them again.".into());
                        return Err(SubmitFailed(n, Some(Vec::new()), Refused::Other));
                    }
                }
            }
            AfterFailure::GiveUp => {
                let mut n = Notice::api(&error, "creating the bulk job", Some(&conn.base));
                let refused = if bulk_core::capability::refuses_bulk(&error) {
                    n.hint = Some(format!(
                        "“{object}” does not take bulk uploads on this connector, and is now marked so in the object list. Ask the connector's administrator to enable bulk upload for it, or choose another object."
                    ));
                    Refused::BulkOff
                } else {
                    Refused::Other
                };
                return Err(SubmitFailed(n, None, refused));
            }
        }
    }
}
