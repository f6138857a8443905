//! The app's one way to the connector for everything beyond submitting and following a
//! job: every call goes through [`transport`], and every list that comes in pages goes
//! through [`pages`], which follows `Elements-Next-Page-Token` to the last page, a limit,
//! or a token the tenant sent before (a tenant going in circles), and rides out transient
//! failures on the polling schedule. Components ask for what they show (records, the job
//! list) and never build a request themselves.

use crate::browser;
use crate::connection::Connected;
use crate::transport;
use bulk_core::api::{self, Page};
use bulk_core::job::{JobSummary, RecordError};
use bulk_core::poll::{Next, PageTokens, Paging, PollOptions, Schedule};
use bulk_core::{ApiError, ApiRequest, ApiResponse, JobId};
use serde_json::{Map, Value};

/// Items per page asked for.
const PAGE_SIZE: u32 = 200;

/// The items of every page, up to about `limit`, and the token that came round again if
/// the tenant started to go in circles (the pages read until then are kept).
pub async fn pages<T>(
    request: impl Fn(Option<&str>) -> ApiRequest,
    parse: impl Fn(&ApiResponse) -> Result<Page<T>, ApiError>,
    limit: usize,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    let mut tokens = PageTokens::default();
    let mut schedule = Schedule::new(PollOptions::default());
    loop {
        match transport::call(&request(token.as_deref()), &parse).await {
            Ok(page) => {
                out.extend(page.items);
                if out.len() >= limit {
                    return Ok((out, None));
                }
                match tokens.after(page.next_page) {
                    Paging::Next(t) => token = Some(t),
                    Paging::Done => return Ok((out, None)),
                    Paging::Repeated(t) => return Ok((out, Some(t))),
                }
            }
            Err(e) => match schedule.on_error(e) {
                Next::Wait(ms) => browser::sleep(ms).await,
                Next::GiveUp(e) => return Err(e),
                Next::Done => return Ok((out, None)),
            },
        }
    }
}

/// Every page of `/bulk/{id}/errors`.
pub async fn job_errors(
    conn: &Connected,
    id: &JobId,
) -> Result<(Vec<RecordError>, Option<String>), ApiError> {
    let request = |t: Option<&str>| api::job_errors(&conn.base, &conn.creds, id, PAGE_SIZE, t);
    pages(request, api::parse_job_errors, usize::MAX).await
}

/// The records the connector holds for `object`, up to about `limit`.
pub async fn records(
    conn: &Connected,
    object: &str,
    limit: usize,
) -> Result<Vec<Map<String, Value>>, ApiError> {
    let request = |t: Option<&str>| {
        let mut req = api::list_records(&conn.base, &conn.creds, object, PAGE_SIZE);
        if let Some(t) = t {
            req.url.query_pairs_mut().append_pair("nextPage", t);
        }
        req
    };
    Ok(pages(request, api::parse_records, limit).await?.0)
}

/// The connector's newest bulk jobs (one page).
pub async fn jobs(conn: &Connected) -> Result<Vec<JobSummary>, ApiError> {
    let req = api::list_jobs(&conn.base, &conn.creds, 50, None);
    Ok(transport::call(&req, api::parse_jobs).await?.items)
}
