//! Job-end notifications: the status JSON, serialised compactly, POSTed to the job's
//! `Elements-Async-Callback-Url`, signed with `Elements-Webhook-Signature` over the exact
//! bytes sent when the sandbox has a signature key. Delivery failures are logged, never
//! retried (the platform's retry policy is undocumented).

use crate::state::AppState;
use bulk_core::JobStatus;
use bulk_core::signature::{self, SignatureKey};
use std::sync::Arc;
use std::time::Duration;

/// Sends the callback for `status` to `url`.
pub async fn deliver(state: &Arc<AppState>, url: &str, status: &JobStatus) {
    let Ok(body) = serde_json::to_vec(status) else {
        return;
    };
    let (duplicate, bad_signature) = {
        let s = state.lock();
        (s.faults.callback_duplicate, s.faults.callback_bad_signature)
    };
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(c) => c,
        Err(e) => return eprintln!("sandbox: callback client: {e}"),
    };
    let times = if duplicate { 2 } else { 1 };
    for _ in 0..times {
        let mut req = client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Elements-Webhook-Id", format!("bulk-{}", status.id));
        if let Some(key) = &state.config.signature_key {
            let key = if bad_signature {
                SignatureKey::new(format!("{key}-wrong"))
            } else {
                SignatureKey::new(key.clone())
            };
            req = req.header(signature::HEADER, signature::sign(&key, &body));
        }
        match req.body(body.clone()).send().await {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => eprintln!(
                "sandbox: callback for job {} answered {}",
                status.id,
                r.status()
            ),
            Err(e) => eprintln!(
                "sandbox: callback for job {} failed: {}",
                status.id,
                e.without_url()
            ),
        }
    }
}
