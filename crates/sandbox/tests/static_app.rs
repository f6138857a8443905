//! The built app as the sandbox serves it: pre-compressed files go to browsers that accept
//! them, with the right Content-Encoding; others get the plain file; unknown paths get the
//! app's index (a single-page app).

mod common;

use bulk_sandbox::Config;
use common::start;

#[tokio::test]
async fn precompressed_files_are_served_to_browsers_that_accept_them() {
    let dir = std::env::temp_dir().join(format!("bulk-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>plain</p>").unwrap();
    std::fs::write(dir.join("index.html.gz"), b"gzip bytes").unwrap();
    std::fs::write(dir.join("index.html.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.join("app.wasm"), b"\0asm plain").unwrap();
    std::fs::write(dir.join("app.wasm.gz"), b"gzip wasm").unwrap();
    let sb = start(Config {
        app_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let get = |path: &str, accept: Option<&str>| {
        let mut rb = sb.http.get(format!("http://{}{path}", sb.addr));
        if let Some(a) = accept {
            rb = rb.header("Accept-Encoding", a);
        }
        rb.send()
    };
    let encoding = |r: &reqwest::Response| {
        r.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string())
    };

    let r = get("/app.wasm", Some("gzip, deflate, br")).await.unwrap();
    assert_eq!(
        encoding(&r).as_deref(),
        Some("gzip"),
        "no .br beside it: gzip"
    );
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"gzip wasm");

    let r = get("/", Some("gzip, br")).await.unwrap();
    assert_eq!(encoding(&r).as_deref(), Some("br"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"brotli bytes");

    let r = get("/app.wasm", None).await.unwrap();
    assert_eq!(encoding(&r), None);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm plain");

    // A path of the app that is no file: the index, compressed as asked.
    let r = get("/some/route", Some("gzip")).await.unwrap();
    assert_eq!(encoding(&r).as_deref(), Some("gzip"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"gzip bytes");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_served_app_gets_a_config_naming_this_sandbox_and_the_portal_origins() {
    let dir = std::env::temp_dir().join(format!("bulk-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    // The build's own (empty) config is replaced by the sandbox's.
    std::fs::write(dir.join("config.json"), "{}").unwrap();
    let sb = start(Config {
        app_dir: Some(dir.clone()),
        hub: "crm".into(),
        host_origins: vec!["http://127.0.0.1:9".into()],
        ..Config::default()
    })
    .await;
    let r = sb
        .http
        .get(format!("http://{}/config.json", sb.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        v,
        serde_json::json!({"baseUrl": "/", "hub": "crm", "sandbox": true,
                           "allowedOrigins": ["http://127.0.0.1:9"]})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
