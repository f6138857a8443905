//! The browser transport: sends a `bulk-core` [`ApiRequest`] with `fetch` (gloo-net) and
//! hands back status, headers and bytes. Nothing here interprets the protocol; a 4xx is a
//! normal response for `bulk-core` to map. A request that got no HTTP answer is told apart
//! by a probe: when a `no-cors` request to the same address gets through, the server is up
//! and refused this page's origin ([`ApiError::Cors`]); otherwise nothing answered
//! ([`ApiError::Network`]).

use bulk_core::api::{ApiRequest, Body, Method, Part};
use bulk_core::{ApiError, ApiResponse};
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use wasm_bindgen::JsValue;

fn network(e: impl std::fmt::Display) -> ApiError {
    ApiError::Network {
        detail: e.to_string(),
    }
}

fn js(e: JsValue) -> ApiError {
    network(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Builds the multipart body; the browser adds the boundary and Content-Type itself.
fn form_data(parts: &[Part]) -> Result<web_sys::FormData, ApiError> {
    let form = web_sys::FormData::new().map_err(js)?;
    for p in parts {
        match &p.file_name {
            Some(file_name) => {
                let bytes = js_sys::Uint8Array::from(p.data.as_slice());
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(
                    p.content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream"),
                );
                let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(
                    &js_sys::Array::of1(&bytes),
                    &options,
                )
                .map_err(js)?;
                form.append_with_blob_and_filename(&p.name, &blob, file_name)
                    .map_err(js)?;
            }
            None => form
                .append_with_str(&p.name, &String::from_utf8_lossy(&p.data))
                .map_err(js)?,
        }
    }
    Ok(form)
}

/// Sends `req` and returns whatever HTTP answer came back.
pub async fn send(req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let method = match req.method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Put => HttpMethod::PUT,
    };
    let mut builder = RequestBuilder::new(req.url.as_str())
        .method(method)
        .header("Authorization", req.authorization.expose());
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let request = match &req.body {
        Body::Empty => builder.build(),
        Body::Multipart(parts) => builder.body(form_data(parts)?),
    }
    .map_err(network)?;
    let resp = match request.send().await {
        Ok(resp) => resp,
        Err(e) => return Err(classify(req.url.as_str(), e).await),
    };
    let status = resp.status();
    let headers = resp.headers().entries().collect();
    let body = resp.binary().await.map_err(network)?;
    Ok(ApiResponse {
        status,
        headers,
        body,
    })
}

/// Tells a CORS refusal from a server that is not there. A `no-cors` GET carries no
/// secret (no Authorization header, no credentials) and its answer is opaque to the page,
/// but it resolves whenever any HTTP answer came back.
async fn classify(url: &str, error: gloo_net::Error) -> ApiError {
    let detail = error.to_string();
    let Some(window) = web_sys::window() else {
        return ApiError::Network { detail };
    };
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_cache(web_sys::RequestCache::NoStore);
    let probe = window.fetch_with_str_and_init(url, &init);
    match wasm_bindgen_futures::JsFuture::from(probe).await {
        Ok(_) => ApiError::Cors { detail },
        Err(_) => ApiError::Network { detail },
    }
}

/// Sends `req` and parses the answer with `parse`.
pub async fn call<T>(
    req: &ApiRequest,
    parse: impl FnOnce(&ApiResponse) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let resp = send(req).await?;
    parse(&resp)
}
