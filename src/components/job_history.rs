//! Jobs beyond this page: the ones this browser submitted earlier and never saw finish
//! (after a reload), which can be followed again, and the connector's own list of bulk
//! jobs (`GET /bulk/jobs`); and the jobs of files chosen earlier in this session, under
//! their file.

use crate::components::notice_view::NoticeView;
use crate::connection::Connected;
use crate::flow::Flow;
use crate::notice::Notice;
use bulk_core::job::JobSummary;
use leptos::prelude::*;

/// Jobs this browser submitted earlier and never saw finish, each with a button to follow
/// it again.
#[component]
pub fn EarlierJobs(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    move || {
        let origin = flow.connection.conn.get()?.base.origin();
        // Not the jobs this page has already. The lists of jobs are followed; the ledger
        // need not be: a job's rows go in it in the same task as the job goes in the log.
        flow.upload.jobs.track();
        flow.upload.history.track();
        let jobs: Vec<_> = flow.upload.joblog.with(|l| {
            l.unfinished(&origin)
                .into_iter()
                .filter(|j| !flow.upload.has_job(&bulk_core::JobId::new(j.job.clone())))
                .cloned()
                .collect()
        });
        (!jobs.is_empty()).then(|| view! {
            <div class="notice notice-info" data-testid="earlier-jobs">
                <strong class="notice-title">"Jobs from earlier that were not seen finishing"</strong>
                <ul>
                    {jobs.into_iter().map(|j| {
                        let label = format!("Job {} · {} · {} · last seen {}", j.job, j.object, j.file, j.state);
                        let job = j.clone();
                        view! { <li>{label} " " <button type="button" class="small-button" on:click=move |_| flow.resume(job.clone())>"Follow it"</button></li> }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The connector's own list of bulk jobs, read when the panel is opened.
#[component]
pub fn JobHistory(
    /// The connection.
    #[prop(into)]
    conn: Signal<Option<Connected>>,
) -> impl IntoView {
    let listing = Action::new_local(|c: &Connected| {
        let c = c.clone();
        async move {
            crate::connector::jobs(&c)
                .await
                .map_err(|e| Notice::api(&e, "listing the bulk jobs", Some(&c.base)))
        }
    });
    let listed = move || listing.value().get().and_then(Result::ok);
    let notice = Signal::derive(move || listing.value().get().and_then(Result::err));
    let load = move |_| {
        if let Some(c) = conn.get_untracked() {
            listing.dispatch(c);
        }
    };
    view! {
        <details class="job-history" on:toggle=load>
            <summary>"Jobs on this connector"</summary>
            <NoticeView notice=notice />
            {move || listed().map(|jobs: Vec<JobSummary>| view! {
                <table class="records">
                    <thead><tr><th>"Job"</th><th>"Object"</th><th>"State"</th><th>"Records"</th><th>"Failed"</th></tr></thead>
                    <tbody>
                        {jobs.into_iter().map(|j| view! {
                            <tr>
                                <td>{j.id.to_string()}</td>
                                <td>{j.object_name.unwrap_or_default()}</td>
                                <td>{j.state.to_string()}</td>
                                <td>{j.record_count.map(|n| n.to_string()).unwrap_or_default()}</td>
                                <td>{j.error_count.map(|n| n.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </details>
    }
}

/// The jobs of files chosen earlier in this session, grouped under their file, folded away:
/// the current file's totals and cards stay its own.
#[component]
pub fn EarlierFilesJobs(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    move || {
        let jobs = flow.upload.history.get();
        (!jobs.is_empty()).then(|| {
            // Files in the order their newest job was sent, newest first.
            let mut files: Vec<(String, Vec<crate::jobs::JobView>)> = Vec::new();
            for job in jobs.iter().cloned() {
                match files.iter_mut().find(|(f, _)| *f == job.file) {
                    Some((_, group)) => group.push(job),
                    None => files.push((job.file.clone(), vec![job])),
                }
            }
            view! {
                <details class="earlier-files" data-testid="earlier-files">
                    <summary>{format!("Jobs of earlier files in this session ({})", jobs.len())}</summary>
                    {files.into_iter().map(|(file, group)| view! {
                        <h3 class="jobs-of">{format!("Jobs of {file}")}</h3>
                        {group.into_iter().map(|job| view! { <crate::components::job_card::JobCard job=job flow=flow /> }).collect_view()}
                    }).collect_view()}
                </details>
            }
        })
    }
}
