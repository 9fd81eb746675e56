//! A few counters in the Prometheus text format, for administrators and loopback only.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub responses_4xx: AtomicU64,
    pub responses_5xx: AtomicU64,
    pub login_failures: AtomicU64,
}

impl Metrics {
    pub fn render(&self) -> String {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "# TYPE amparo_http_requests_total counter\namparo_http_requests_total {}\n\
             # TYPE amparo_http_responses_4xx_total counter\namparo_http_responses_4xx_total {}\n\
             # TYPE amparo_http_responses_5xx_total counter\namparo_http_responses_5xx_total {}\n\
             # TYPE amparo_login_failures_total counter\namparo_login_failures_total {}\n",
            g(&self.requests),
            g(&self.responses_4xx),
            g(&self.responses_5xx),
            g(&self.login_failures),
        )
    }
}
