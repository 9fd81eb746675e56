//! A per-address limit on sign-in attempts, on top of the per-account lock: it slows a
//! guesser who spreads attempts over many accounts. In memory, per process.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug)]
pub struct IpLimiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (DateTime<Utc>, u32)>>,
}

impl IpLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self { max, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt; Err(seconds to wait) when the address is over its limit.
    pub fn attempt(&self, ip: IpAddr, now: DateTime<Utc>) -> Result<(), u64> {
        let Ok(mut seen) = self.seen.lock() else { return Ok(()) };
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now - *start < self.window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.max {
            let wait = (entry.0 + self.window - now).num_seconds().max(1);
            Err(u64::try_from(wait).unwrap_or(1))
        } else {
            Ok(())
        }
    }
}
