//! The sandbox as an independent peer, over real HTTP: it reads uploads as the csv crate
//! does (no clean-up), refuses rows by its own vendor rules (including rows the app would
//! accept), serves `/errors` items in each shape the switches offer, in file order and in
//! pages, can repeat a page token, report a status nobody knows or cut a status answer, and
//! keeps its control endpoints away from other pages.

mod common;

use bulk_core::JobState;
use bulk_core::api;
use bulk_sandbox::Config;
use bulk_sandbox::vendor::{REFUSED_DOMAIN, REFUSED_MESSAGE};
use common::{Sandbox, start};
use serde_json::{Value, json};
use std::time::Duration;

async fn put_faults(sb: &Sandbox, faults: Value) -> reqwest::StatusCode {
    sb.http
        .put(sb.url("/sandbox/faults"))
        .json(&faults)
        .send()
        .await
        .unwrap()
        .status()
}

/// One raw `/errors` page: its items, `Elements-Returned-Count` and the next-page token.
async fn errors_page(
    sb: &Sandbox,
    id: &bulk_core::JobId,
    size: u32,
    token: Option<&str>,
) -> (Vec<Value>, Option<String>, Option<String>) {
    let r = sb
        .send(&api::job_errors(&sb.base, &sb.creds, id, size, token))
        .await;
    assert_eq!(r.status, 200);
    let items: Vec<Value> = serde_json::from_slice(&r.body).unwrap();
    let count = r.header("Elements-Returned-Count").map(str::to_string);
    let next = r.header("Elements-Next-Page-Token").map(str::to_string);
    (items, count, next)
}

/// The raw status document of a job.
async fn raw_status(sb: &Sandbox, id: &bulk_core::JobId) -> Value {
    let r = sb.send(&api::job_status(&sb.base, &sb.creds, id)).await;
    serde_json::from_slice(&r.body).unwrap()
}

const THREE_ROWS: &str = "email,last_name,first_name\n\
    a@x.io,Able,Ann\n\
    bo@refused.example,Bell,Bo\n\
    cy@x.io,,Cy\n";

#[tokio::test]
async fn errors_come_in_each_shape_the_switch_names() {
    let sb = start(Config::default()).await;
    let id = sb.upload("contacts", THREE_ROWS).await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_count, s.records_failed_count),
        (JobState::Completed, Some(3), Some(2))
    );
    let missing = "400: Required field 'last_name' is missing";

    // The default shape, nested.
    let (items, ..) = errors_page(&sb, &id, 200, None).await;
    assert_eq!(
        Value::Array(items),
        json!([
            {"status": REFUSED_MESSAGE, "recordNumber": 2,
             "record": {"email": "bo@refused.example", "last_name": "Bell", "first_name": "Bo"}},
            {"status": missing, "recordNumber": 3,
             "record": {"email": "cy@x.io", "last_name": "", "first_name": "Cy"}},
        ])
    );

    assert!(
        put_faults(&sb, json!({"errorShape": "flat"}))
            .await
            .is_success()
    );
    let (items, ..) = errors_page(&sb, &id, 200, None).await;
    assert_eq!(
        Value::Array(items),
        json!([
            {"status": REFUSED_MESSAGE, "email": "bo@refused.example", "last_name": "Bell",
             "first_name": "Bo"},
            {"status": missing, "email": "cy@x.io", "last_name": "", "first_name": "Cy"},
        ])
    );

    // The spelling is accepted too.
    let r = put_faults(&sb, json!({"error_shape": "status_only"})).await;
    assert!(r.is_success());
    let (items, ..) = errors_page(&sb, &id, 200, None).await;
    assert_eq!(
        Value::Array(items),
        json!([{"status": REFUSED_MESSAGE}, {"status": missing}])
    );

    assert_eq!(
        put_faults(&sb, json!({"errorShape": "sideways"})).await,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_vendor_refuses_twelve_of_thirty_rows_the_app_would_accept() {
    let sb = start(Config::default()).await;
    let mut csv = String::from("email,last_name\n");
    let mut refused = vec![];
    for i in 1..=30 {
        // Rows 3, 5, 8, ...: a fixed, irregular pattern of 12.
        if [3, 5, 8, 9, 12, 15, 17, 20, 22, 26, 29, 30].contains(&i) {
            csv.push_str(&format!("person{i}@{REFUSED_DOMAIN},Refused\n"));
            refused.push(i);
        } else {
            csv.push_str(&format!("person{i}@ok.example,Kept\n"));
        }
    }
    let id = sb.upload("contacts", &csv).await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.state, s.records_count, s.records_failed_count),
        (JobState::Completed, Some(30), Some(12))
    );
    let (items, ..) = errors_page(&sb, &id, 200, None).await;
    let numbers: Vec<u64> = items
        .iter()
        .map(|e| e["recordNumber"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, refused);
    assert!(items.iter().all(|e| e["status"] == REFUSED_MESSAGE));
    let stored = api::parse_records(
        &sb.send(&api::list_records(&sb.base, &sb.creds, "contacts", 200))
            .await,
    )
    .unwrap();
    assert_eq!(stored.items.len(), 18);
}

#[tokio::test]
async fn errors_page_two_at_a_time_in_file_order() {
    let sb = start(Config::default()).await;
    let mut csv = String::from("email,last_name\n");
    for i in 1..=5 {
        csv.push_str(&format!("p{i}@x.io,P\n"));
        csv.push_str(&format!("bad{i}@,X\n"));
    }
    let id = sb.upload("contacts", &csv).await;
    assert_eq!(sb.wait(&id).await.records_failed_count, Some(5));
    let mut numbers = vec![];
    let mut counts = vec![];
    let mut token: Option<String> = None;
    loop {
        let (items, count, next) = errors_page(&sb, &id, 2, token.as_deref()).await;
        counts.push(count.unwrap());
        numbers.extend(items.iter().map(|e| e["recordNumber"].as_u64().unwrap()));
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(counts, ["2", "2", "1"]);
    assert_eq!(numbers, [2, 4, 6, 8, 10]);
}

#[tokio::test]
async fn the_repeat_switch_sends_the_same_page_token_forever() {
    let sb = start(Config::default()).await;
    let id = sb.upload("contacts", THREE_ROWS).await;
    sb.wait(&id).await;
    assert!(
        put_faults(&sb, json!({"repeatPageToken": true}))
            .await
            .is_success()
    );
    let (items, _, first) = errors_page(&sb, &id, 1, None).await;
    assert_eq!(items.len(), 1);
    let token = first.expect("a token");
    for _ in 0..3 {
        let (items, count, next) = errors_page(&sb, &id, 1, Some(&token)).await;
        assert_eq!(next.as_deref(), Some(token.as_str()));
        assert_eq!((items.len(), count.as_deref()), (1, Some("1")));
        assert_eq!(items[0]["recordNumber"], 3);
    }
    // Even a single page that holds everything gets a token.
    let (_, _, next) = errors_page(&sb, &id, 200, None).await;
    assert!(next.is_some());
}

#[tokio::test]
async fn an_unknown_status_holds_the_job_until_the_switch_is_cleared() {
    let sb = start(Config::default()).await;
    assert!(
        put_faults(&sb, json!({"unknownStatus": "QUEUED"}))
            .await
            .is_success()
    );
    let id = sb.upload("contacts", "email,last_name\na@x.io,A\n").await;
    for _ in 0..5 {
        assert_eq!(raw_status(&sb, &id).await["status"], "QUEUED");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert!(put_faults(&sb, json!({})).await.is_success());
    let s = sb.wait(&id).await;
    assert_eq!(s.state, JobState::Completed);
    assert_eq!(
        put_faults(&sb, json!({"unknownStatus": " "})).await,
        reqwest::StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_status_answer_can_be_cut_off_once() {
    let sb = start(Config::default()).await;
    let id = sb.upload("contacts", "email,last_name\na@x.io,A\n").await;
    sb.wait(&id).await;
    // The existing counted fault does this; there is no separate switch for it.
    let set = json!({"malformedNext": 1, "pathContains": "/status"});
    assert!(put_faults(&sb, set).await.is_success());
    let r = sb.send(&api::job_status(&sb.base, &sb.creds, &id)).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert_eq!(raw_status(&sb, &id).await["status"], "COMPLETED");
    // A misspelt or invented switch is refused rather than ignored.
    assert_eq!(
        put_faults(&sb, json!({"truncatedStatusOnce": true})).await,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn header_names_are_read_as_the_csv_crate_reads_them_not_cleaned_up() {
    let sb = start(Config::default()).await;
    // A byte order mark stays part of the first name, so there is no `email` column.
    let id = sb
        .upload("contacts", "\u{feff}email,last_name\na@x.io,A\n")
        .await;
    let s = sb.wait(&id).await;
    assert_eq!(s.state, JobState::Aborted);
    assert!(s.error.unwrap().contains("no 'email' column"));

    // A trailing space makes an unknown field.
    let id = sb.upload("contacts", "email,last_name \na@x.io,A\n").await;
    let s = sb.wait(&id).await;
    assert_eq!(s.state, JobState::Aborted);
    assert!(s.error.unwrap().contains("'last_name '"));

    // A row of empty values is a record like any other; so is a row of the wrong length.
    let id = sb
        .upload("contacts", "email,last_name\n,\na@x.io,A\nb@x.io\n")
        .await;
    let s = sb.wait(&id).await;
    assert_eq!(
        (s.records_count, s.records_failed_count),
        (Some(3), Some(2))
    );
    let (items, ..) = errors_page(&sb, &id, 200, None).await;
    assert_eq!(items[0]["recordNumber"], 1);
    assert_eq!(items[1]["recordNumber"], 3);
    assert!(
        items[1]["status"].as_str().unwrap().contains("1 values"),
        "{}",
        items[1]
    );
}

#[tokio::test]
async fn control_endpoints_refuse_other_origins_and_send_no_cors_headers() {
    let sb = start(Config::default()).await;
    let own = format!("http://{}", sb.addr);
    let foreign = "http://elsewhere.example";
    let reset = sb.url("/sandbox/reset");
    let faults = sb.url("/sandbox/faults");
    let info = sb.url("/sandbox/info");

    let r = sb
        .http
        .post(&reset)
        .header("Origin", foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = sb
        .http
        .put(&faults)
        .header("Origin", foreign)
        .json(&json!({"dropNext": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(sb.state.lock().faults.drop_next, 0, "nothing was changed");
    let r = sb
        .http
        .get(&info)
        .header("Origin", foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A preflight from another page gets no CORS answer either.
    let r = sb
        .http
        .request(reqwest::Method::OPTIONS, &faults)
        .header("Origin", foreign)
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // The same port on another host is another origin.
    let r = sb
        .http
        .get(&info)
        .header("Origin", format!("http://localhost:{}", sb.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The app served by the sandbox, and tools that send no Origin, are let through.
    let r = sb
        .http
        .put(&faults)
        .header("Origin", &own)
        .json(&json!({"latencyMs": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = sb
        .http
        .post(&reset)
        .header("Origin", &own)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sb.http.get(&info).send().await.unwrap().status(), 200);

    // The API itself still answers other pages (CORS is on by default).
    let r = sb
        .http
        .get(sb.url("/elements/api-v2/objects"))
        .header("Origin", foreign)
        .header("Authorization", sb.creds.authorization().expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_some());
}
