//! Shared helpers for the sandbox's integration tests: start a real sandbox on a free port,
//! and send bulk-core's request values over real HTTP with reqwest (the native transport).

#![allow(dead_code)]

use bulk_core::api::{ApiRequest, Body, Method};
use bulk_core::{ApiBase, ApiResponse, Credentials, Secret};
use bulk_sandbox::{AppState, Config, config};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A running sandbox and a client for it.
pub struct Sandbox {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    pub base: ApiBase,
    pub creds: Credentials,
    pub http: reqwest::Client,
}

pub fn demo_credentials() -> Credentials {
    Credentials {
        user: Secret::new(config::DEMO_USER),
        organization: Secret::new(config::DEMO_ORGANIZATION),
        element: Secret::new(config::DEMO_ELEMENT),
    }
}

pub async fn start(config: Config) -> Sandbox {
    let (addr, state) = bulk_sandbox::spawn(config)
        .await
        .expect("the sandbox binds a free port");
    Sandbox {
        addr,
        state,
        base: ApiBase::parse(&format!("http://{addr}"), Some("finance")).expect("valid base"),
        creds: demo_credentials(),
        http: reqwest::Client::new(),
    }
}

impl Sandbox {
    /// Sends a core request; a transport failure becomes status 0.
    pub async fn send(&self, req: &ApiRequest) -> ApiResponse {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
        };
        let mut rb = self
            .http
            .request(method, req.url.clone())
            .header("Authorization", req.authorization.expose());
        for (k, v) in &req.headers {
            rb = rb.header(k, v);
        }
        if let Body::Multipart(parts) = &req.body {
            let mut form = reqwest::multipart::Form::new();
            for p in parts {
                let mut part = reqwest::multipart::Part::bytes(p.data.clone());
                if let Some(f) = &p.file_name {
                    part = part.file_name(f.clone());
                }
                if let Some(ct) = &p.content_type {
                    part = part.mime_str(ct).expect("valid media type");
                }
                form = form.part(p.name.clone(), part);
            }
            rb = rb.multipart(form);
        }
        match rb.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let headers = r
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect();
                let body = r.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                ApiResponse {
                    status,
                    headers,
                    body,
                }
            }
            Err(_) => ApiResponse::default(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Polls until the job is terminal (or 10 s pass).
    pub async fn wait(&self, id: &bulk_core::JobId) -> bulk_core::JobStatus {
        for _ in 0..1000 {
            let s = bulk_core::api::parse_job_status(
                &self
                    .send(&bulk_core::api::job_status(&self.base, &self.creds, id))
                    .await,
            )
            .expect("status parses");
            if s.state.is_terminal() {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("job {id} did not finish in 10 s");
    }

    /// Uploads `csv` to `object` and returns the new job id.
    pub async fn upload(&self, object: &str, csv: &str) -> bulk_core::JobId {
        let req = bulk_core::api::create_bulk_job(
            &self.base,
            &self.creds,
            object,
            "t.csv",
            csv.as_bytes().to_vec(),
            &Default::default(),
        );
        bulk_core::api::parse_job_created(&self.send(&req).await)
            .expect("job created")
            .id
    }
}
