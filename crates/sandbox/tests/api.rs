//! The sandbox over real HTTP on 127.0.0.1: discovery, the whole job lifecycle, errors
//! paging, auth failures, malformed uploads, cancel, both path prefixes and CORS. Requests
//! are built and responses parsed by bulk-core, so these also test the client's protocol
//! code against the emulated tenant.

mod common;

use bulk_core::api::{self, JobOptions};
use bulk_core::{ApiError, JobState, Secret};
use bulk_sandbox::Config;
use common::start;

#[tokio::test]
async fn discovery_lists_objects_and_metadata_on_both_prefixes() {
    let sb = start(Config::default()).await;
    let objects =
        api::parse_objects(&sb.send(&api::list_objects(&sb.base, &sb.creds)).await).unwrap();
    assert_eq!(objects, ["banks", "contacts", "customers"]);
    let no_hub = bulk_core::ApiBase::parse(&sb.url("/elements/api-v2"), None).unwrap();
    let meta = api::parse_metadata(
        &sb.send(&api::object_metadata(&no_hub, &sb.creds, "contacts"))
            .await,
    )
    .unwrap();
    let email = meta.field("email").unwrap();
    assert!(email.required && !email.read_only);
    assert!(meta.field("id").unwrap().read_only);
    let missing = sb
        .send(&api::object_metadata(&sb.base, &sb.creds, "nope"))
        .await;
    assert!(matches!(
        api::parse_metadata(&missing),
        Err(ApiError::NotFound { .. })
    ));
}

#[tokio::test]
async fn wrong_or_missing_credentials_get_401_in_the_platform_shape() {
    let sb = start(Config::default()).await;
    let mut creds = sb.creds.clone();
    creds.user = Secret::new("wrong");
    let r = sb.send(&api::list_objects(&sb.base, &creds)).await;
    assert_eq!(r.status, 401);
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["requestId"].as_str().unwrap().len(), 24);
    assert!(matches!(
        api::parse_objects(&r),
        Err(ApiError::Unauthorized { message: Some(_) })
    ));
    let bare = sb
        .http
        .get(sb.url("/elements/api-v2/objects"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 401);
    // Organization is optional, but checked when sent.
    creds = sb.creds.clone();
    creds.organization = Secret::default();
    assert_eq!(
        sb.send(&api::list_objects(&sb.base, &creds)).await.status,
        200
    );
    creds.organization = Secret::new("other-org");
    assert_eq!(
        sb.send(&api::list_objects(&sb.base, &creds)).await.status,
        401
    );
}

#[tokio::test]
async fn a_job_runs_through_its_states_and_stores_valid_records() {
    let sb = start(Config {
        step_delay_ms: 60,
        row_delay_ms: 20,
        ..Config::default()
    })
    .await;
    let csv = "email,first_name,last_name\na@x.io,Ann,Smith\nb@x.io,Bob,\nc@x.io,Cy,Young\n";
    let id = sb.upload("contacts", csv).await;
    let mut seen = vec![];
    loop {
        let s = api::parse_job_status(&sb.send(&api::job_status(&sb.base, &sb.creds, &id)).await)
            .unwrap();
        if seen.last() != Some(&s.state) {
            seen.push(s.state.clone());
        }
        if s.state.is_terminal() {
            assert_eq!(
                (s.records_count, s.records_failed_count),
                (Some(3), Some(1))
            );
            assert!(s.finished_at_ms.is_some() && s.started_at_ms.is_some());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        seen,
        [
            JobState::Created,
            JobState::Started,
            JobState::Running,
            JobState::Completed
        ]
    );
    let errors = api::parse_job_errors(
        &sb.send(&api::job_errors(&sb.base, &sb.creds, &id, 200, None))
            .await,
    )
    .unwrap();
    assert_eq!(errors.items.len(), 1);
    assert!(errors.items[0].message.contains("last_name"));
    assert_eq!(errors.items[0].record_number, Some(2));
    let records = api::parse_records(
        &sb.send(&api::list_records(&sb.base, &sb.creds, "contacts", 200))
            .await,
    )
    .unwrap();
    let emails: Vec<&str> = records
        .items
        .iter()
        .filter_map(|r| r["email"].as_str())
        .collect();
    assert_eq!(emails, ["a@x.io", "c@x.io"]);
    assert!(records.items.iter().all(|r| r.contains_key("id")));
}

#[tokio::test]
async fn errors_come_in_pages_with_the_documented_headers() {
    let sb = start(Config::default()).await;
    let mut csv = String::from("email,last_name\n");
    for i in 0..37 {
        csv.push_str(&format!("bad{i}@,X\n"));
    }
    let id = sb.upload("contacts", &csv).await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_failed_count),
        (JobState::Completed, Some(37))
    );
    let first = sb
        .send(&api::job_errors(&sb.base, &sb.creds, &id, 30, None))
        .await;
    assert_eq!(first.header("Elements-Returned-Count"), Some("30"));
    let page1 = api::parse_job_errors(&first).unwrap();
    let token = page1.next_page.expect("a token for the second page");
    let second = sb
        .send(&api::job_errors(&sb.base, &sb.creds, &id, 30, Some(&token)))
        .await;
    assert_eq!(second.header("Elements-Returned-Count"), Some("7"));
    assert_eq!(second.header("Elements-Next-Page-Token"), None);
    let page2 = api::parse_job_errors(&second).unwrap();
    assert_eq!(page2.items[6].record_number, Some(37));
    let bad = sb
        .send(&api::job_errors(
            &sb.base,
            &sb.creds,
            &id,
            30,
            Some("garbage"),
        ))
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_file_without_the_key_column_ends_aborted_with_an_error() {
    let sb = start(Config::default()).await;
    let id = sb.upload("contacts", "first_name,last_name\nA,B\n").await;
    let s = sb.wait(&id).await;
    assert_eq!(s.state, JobState::Aborted);
    assert!(s.error.unwrap().contains("'email'"));
}

#[tokio::test]
async fn malformed_uploads_are_refused_at_submit() {
    let sb = start(Config::default()).await;
    let url = sb.url("/elements/api-v2/bulk/contacts");
    let auth = api::list_objects(&sb.base, &sb.creds).authorization;
    let send = |body: &'static str, ct: &'static str| {
        sb.http
            .post(&url)
            .header("Authorization", auth.expose())
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    assert_eq!(send("email\n", "text/csv").await.unwrap().status(), 415);
    assert_eq!(
        send("--x\r\nbroken", "multipart/form-data; boundary=x")
            .await
            .unwrap()
            .status(),
        400
    );
    let no_file = "--b\r\nContent-Disposition: form-data; name=\"metaData\"\r\n\r\n{}\r\n--b--\r\n";
    assert_eq!(
        send(no_file, "multipart/form-data; boundary=b")
            .await
            .unwrap()
            .status(),
        400
    );
    let bad_meta = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nemail\n\r\n--b\r\nContent-Disposition: form-data; name=\"metaData\"\r\n\r\n{oops\r\n--b--\r\n";
    let r = send(bad_meta, "multipart/form-data; boundary=b")
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let req = api::create_bulk_job(
        &sb.base,
        &sb.creds,
        "banks",
        "b.csv",
        b"code\nX\n".to_vec(),
        &JobOptions::default(),
    );
    assert!(matches!(
        api::parse_job_created(&sb.send(&req).await),
        Err(ApiError::Rejected { status: 400, .. })
    ));
    let req = api::create_bulk_job(
        &sb.base,
        &sb.creds,
        "nope",
        "b.csv",
        b"code\nX\n".to_vec(),
        &JobOptions::default(),
    );
    assert!(matches!(
        api::parse_job_created(&sb.send(&req).await),
        Err(ApiError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_running_job_can_be_cancelled() {
    let sb = start(Config {
        row_delay_ms: 50,
        ..Config::default()
    })
    .await;
    let mut csv = String::from("email,last_name\n");
    for i in 0..100 {
        csv.push_str(&format!("p{i}@x.io,P\n"));
    }
    let id = sb.upload("contacts", &csv).await;
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let r = sb.send(&api::cancel_job(&sb.base, &sb.creds, &id)).await;
    let pending = api::parse_job_status(&r).unwrap();
    assert_eq!(pending.state, JobState::CancellationPending);
    let s = sb.wait(&id).await;
    assert_eq!(s.state, JobState::Cancelled);
    assert!(s.records_count.unwrap() < 100);
    let again = sb.send(&api::cancel_job(&sb.base, &sb.creds, &id)).await;
    assert_eq!(again.status, 400, "a finished job cannot be cancelled");
    let unknown = sb
        .send(&api::cancel_job(
            &sb.base,
            &sb.creds,
            &bulk_core::JobId::new("999999"),
        ))
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn jobs_are_listed_newest_first_and_filtered() {
    let sb = start(Config::default()).await;
    let a = sb.upload("contacts", "email,last_name\na@x.io,A\n").await;
    let b = sb.upload("customers", "reference,name\nC1,N\n").await;
    sb.wait(&a).await;
    sb.wait(&b).await;
    let jobs = api::parse_jobs(
        &sb.send(&api::list_jobs(&sb.base, &sb.creds, 200, None))
            .await,
    )
    .unwrap();
    assert_eq!(
        jobs.items.iter().map(|j| j.id.clone()).collect::<Vec<_>>(),
        [b.clone(), a]
    );
    let mut req = api::list_jobs(&sb.base, &sb.creds, 200, None);
    req.url.query_pairs_mut().append_pair(
        "where",
        "object_name='customers' and job_direction='UPLOAD'",
    );
    let jobs = api::parse_jobs(&sb.send(&req).await).unwrap();
    assert_eq!(jobs.items.len(), 1);
    assert_eq!(jobs.items[0].record_count, Some(1));
}

#[tokio::test]
async fn cors_preflight_allows_the_authorization_header() {
    let sb = start(Config::default()).await;
    let r = sb
        .http
        .request(
            reqwest::Method::OPTIONS,
            sb.url("/elements/api-v2/bulk/contacts"),
        )
        .header("Origin", "http://elsewhere.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    let off = start(Config {
        cors: false,
        ..Config::default()
    })
    .await;
    let r = off.send(&api::list_objects(&off.base, &off.creds)).await;
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn json_uploads_and_nested_fields_are_accepted() {
    let sb = start(Config::default()).await;
    let mut req = api::create_bulk_job(
        &sb.base,
        &sb.creds,
        "customers",
        "c.json",
        br#"[{"reference":"J1","name":"Json Ltd","credit_limit":10}]"#.to_vec(),
        &JobOptions::default(),
    );
    if let bulk_core::api::Body::Multipart(parts) = &mut req.body {
        parts.push(bulk_core::api::Part {
            name: "metaData".into(),
            file_name: None,
            content_type: None,
            data: br#"{"format":"json"}"#.to_vec(),
        });
    }
    let id = api::parse_job_created(&sb.send(&req).await).unwrap().id;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_failed_count),
        (JobState::Completed, Some(0))
    );
}
