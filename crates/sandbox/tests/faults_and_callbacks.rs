//! The sandbox's fault switches and its signed callbacks, over real HTTP: each fault does
//! what its name says, and a callback arrives at a real receiver with a signature that
//! bulk-core verifies over the exact bytes received.

mod common;

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use bulk_core::api;
use bulk_core::signature::{self, SignatureKey};
use bulk_core::{ApiError, JobState};
use bulk_sandbox::Config;
use bulk_sandbox::faults::Faults;
use common::start;
use std::sync::{Arc, Mutex};

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A callback receiver on a free port, keeping what it receives.
async fn receiver() -> (String, Received) {
    let got: Received = Arc::default();
    let store = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), got)
}

/// Uploads one contact with a callback to a fresh receiver and waits for the job to end.
async fn job_with_callback(sb: &common::Sandbox) -> (bulk_core::JobId, Received) {
    let (url, got) = receiver().await;
    let options = api::JobOptions {
        callback_url: Some(url.parse().unwrap()),
        ..Default::default()
    };
    let req = api::create_bulk_job(
        &sb.base,
        &sb.creds,
        "contacts",
        "c.csv",
        b"email,last_name\na@x.io,A\n".to_vec(),
        &options,
    );
    let id = api::parse_job_created(&sb.send(&req).await).unwrap().id;
    sb.wait(&id).await;
    (id, got)
}

/// Waits until `n` callbacks arrived (or 2 s passed).
async fn arrived(got: &Received, n: usize) {
    for _ in 0..200 {
        if got.lock().unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// `GET /objects` through bulk-core, as the app calls it.
async fn objects(sb: &common::Sandbox) -> Result<Vec<String>, ApiError> {
    api::parse_objects(&sb.send(&api::list_objects(&sb.base, &sb.creds)).await)
}

async fn set_faults(sb: &common::Sandbox, faults: Faults) {
    let r = sb
        .http
        .put(sb.url("/sandbox/faults"))
        .json(&faults)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

#[tokio::test]
async fn a_finished_job_calls_back_with_a_verifiable_signature() {
    let sb = start(Config {
        signature_key: Some("abcd1234efgh5678".into()),
        ..Config::default()
    })
    .await;
    let (id, got) = job_with_callback(&sb).await;
    arrived(&got, 1).await;
    let (headers, body) = got
        .lock()
        .unwrap()
        .first()
        .cloned()
        .expect("a callback arrived");
    let header = headers.get(signature::HEADER).unwrap().to_str().unwrap();
    assert_eq!(
        signature::verify(&SignatureKey::new("abcd1234efgh5678"), header, &body),
        Ok(())
    );
    assert!(signature::verify(&SignatureKey::new("wrong"), header, &body).is_err());
    let status = bulk_core::JobStatus::from_json(&serde_json::from_slice(&body).unwrap()).unwrap();
    assert_eq!(
        (status.id, status.state, status.records_count),
        (id, JobState::Completed, Some(1))
    );
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
}

#[tokio::test]
async fn a_bad_signature_fault_fails_verification_and_duplicates_arrive_twice() {
    let sb = start(Config {
        signature_key: Some("k".into()),
        ..Config::default()
    })
    .await;
    set_faults(
        &sb,
        Faults {
            callback_bad_signature: true,
            callback_duplicate: true,
            ..Faults::default()
        },
    )
    .await;
    let (_, got) = job_with_callback(&sb).await;
    arrived(&got, 2).await;
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 2);
    let header = got[0].0.get(signature::HEADER).unwrap().to_str().unwrap();
    assert_eq!(
        signature::verify(&SignatureKey::new("k"), header, &got[0].1),
        Err(signature::SignatureError::Mismatch)
    );
}

#[tokio::test]
async fn counted_faults_hit_the_next_matching_requests_then_stop() {
    let sb = start(Config::default()).await;
    set_faults(
        &sb,
        Faults {
            rate_limit_next: 1,
            retry_after_secs: 3,
            path_contains: Some("/objects".into()),
            ..Faults::default()
        },
    )
    .await;
    let e = objects(&sb).await.unwrap_err();
    assert_eq!(e.retry_after_secs(), Some(3));
    assert!(objects(&sb).await.is_ok());

    set_faults(
        &sb,
        Faults {
            server_error_next: 1,
            ..Faults::default()
        },
    )
    .await;
    assert!(matches!(
        objects(&sb).await,
        Err(ApiError::Server { status: 500, .. })
    ));

    set_faults(
        &sb,
        Faults {
            drop_next: 1,
            ..Faults::default()
        },
    )
    .await;
    let r = sb
        .http
        .get(sb.url("/elements/api-v2/objects"))
        .header("Authorization", sb.creds.authorization().expose())
        .send()
        .await;
    assert!(
        r.is_err() || r.unwrap().bytes().await.is_err(),
        "the connection is dropped"
    );

    set_faults(
        &sb,
        Faults {
            malformed_next: 1,
            ..Faults::default()
        },
    )
    .await;
    assert!(matches!(
        objects(&sb).await,
        Err(ApiError::Malformed { .. })
    ));
    assert!(objects(&sb).await.is_ok());
}

#[tokio::test]
async fn job_faults_change_ids_spellings_and_endings() {
    let sb = start(Config::default()).await;
    set_faults(
        &sb,
        Faults {
            numeric_ids: true,
            complete_spelling: true,
            ..Faults::default()
        },
    )
    .await;
    let req = api::create_bulk_job(
        &sb.base,
        &sb.creds,
        "contacts",
        "c.csv",
        b"email,last_name\na@x.io,A\n".to_vec(),
        &Default::default(),
    );
    let resp = sb.send(&req).await;
    let raw: serde_json::Value = serde_json::from_slice(&resp.body).unwrap();
    assert!(raw["id"].is_number());
    let id = api::parse_job_created(&resp).unwrap().id;
    sb.wait(&id).await;
    let raw: serde_json::Value = serde_json::from_slice(
        &sb.send(&api::job_status(&sb.base, &sb.creds, &id))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(raw["status"], "COMPLETE");

    set_faults(
        &sb,
        Faults {
            end_jobs_with: Some("ABORTED".into()),
            ..Faults::default()
        },
    )
    .await;
    let id = sb.upload("contacts", "email,last_name\nb@x.io,B\n").await;
    let s = sb.wait(&id).await;
    assert_eq!((s.state, s.records_count), (JobState::Aborted, Some(0)));
    assert!(s.error.is_some());

    set_faults(
        &sb,
        Faults {
            end_jobs_with: Some("ERROR".into()),
            ..Faults::default()
        },
    )
    .await;
    let id = sb
        .upload(
            "contacts",
            "email,last_name\nc@x.io,C\nd@x.io,D\ne@x.io,E\nf@x.io,F\n",
        )
        .await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_count),
        (JobState::Error, Some(2)),
        "half way"
    );

    set_faults(
        &sb,
        Faults {
            vendor_failure_percent: 100,
            ..Faults::default()
        },
    )
    .await;
    let id = sb.upload("contacts", "email,last_name\ng@x.io,G\n").await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_failed_count),
        (JobState::Completed, Some(1))
    );
    let bad = sb
        .http
        .put(sb.url("/sandbox/faults"))
        .json(&serde_json::json!({"endJobsWith": "LATER"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}
