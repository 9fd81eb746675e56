//! Closed-loop load: a fixed number of workers each start one operation, wait for it to finish,
//! record how long it took, and start the next, until the time is up. Every latency is kept, so
//! the percentiles are exact (nearest rank), not estimated.

use std::future::Future;
use std::time::{Duration, Instant};

/// What one measured run produced.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// Every operation's latency, successful or not, sorted ascending.
    latencies: Vec<Duration>,
    /// Operations that failed (for HTTP: any answer that is not 2xx, or no answer).
    pub errors: u64,
    /// From the first operation's start to the last one's end.
    pub elapsed: Duration,
}

impl Sample {
    fn new(mut latencies: Vec<Duration>, errors: u64, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        Self { latencies, errors, elapsed }
    }

    /// Operations completed, failed ones included.
    pub fn count(&self) -> u64 {
        u64::try_from(self.latencies.len()).unwrap_or(u64::MAX)
    }

    /// Successful operations per second.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.count().saturating_sub(self.errors) as f64 / secs } else { 0.0 }
    }

    /// The latency at or below which `p` percent of operations finished (nearest rank).
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let n = self.latencies.len();
        // Nearest rank: ceil(p/100 * n), 1-based.
        let rank = ((p / 100.0) * n as f64).ceil().clamp(1.0, n as f64) as usize;
        self.latencies[rank - 1]
    }

    /// Several runs of the same target taken as one (their times and operations added up).
    pub fn pooled<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Sample {
        let mut latencies = Vec::new();
        let mut errors = 0;
        let mut elapsed = Duration::ZERO;
        for s in samples {
            latencies.extend_from_slice(&s.latencies);
            errors += s.errors;
            elapsed += s.elapsed;
        }
        Sample::new(latencies, errors, elapsed)
    }
}

/// Runs `op` in a closed loop on `workers` tokio tasks for `duration`. `op(w)` is worker
/// `w`'s next operation and says whether it succeeded. Operations in flight at the deadline
/// are finished and counted.
pub async fn closed_loop<Op, Fut>(workers: usize, duration: Duration, op: Op) -> Result<Sample, String>
where
    Op: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers.max(1) {
        let op = op.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let ok = op(w).await;
                latencies.push(t0.elapsed());
                errors += u64::from(!ok);
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    while let Some(done) = tasks.join_next().await {
        let (l, e) = done.map_err(|e| format!("a load worker failed: {e}"))?;
        latencies.extend(l);
        errors += e;
    }
    Ok(Sample::new(latencies, errors, start.elapsed()))
}

/// The same loop on `threads` OS threads, for blocking work (raw Argon2).
pub fn threads_loop<Op>(threads: usize, duration: Duration, op: Op) -> Sample
where
    Op: Fn() -> bool + Sync,
{
    let start = Instant::now();
    let deadline = start + duration;
    let per_thread: Vec<(Vec<Duration>, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut latencies = Vec::new();
                    let mut errors = 0u64;
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        let ok = op();
                        latencies.push(t0.elapsed());
                        errors += u64::from(!ok);
                    }
                    (latencies, errors)
                })
            })
            .collect();
        // A thread that panicked counts as nothing done.
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let elapsed = start.elapsed();
    let errors = per_thread.iter().map(|(_, e)| e).sum();
    Sample::new(per_thread.into_iter().flat_map(|(l, _)| l).collect(), errors, elapsed)
}

/// Open-loop load: operation `i` is started at `start + i / rate`, whether or not the earlier
/// ones have been answered, for `duration`. Each latency runs from the operation's *scheduled*
/// start to its end, so that a server (or a load generator) that falls behind shows up in the
/// latencies instead of slowing the schedule down (no coordinated omission). An operation that
/// takes longer than `timeout` counts as failed with latency `timeout`. Waits for every
/// operation to finish.
pub async fn open_loop<Op, Fut>(rate: f64, duration: Duration, timeout: Duration, op: Op) -> Result<Sample, String>
where
    Op: Fn(u64) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    if rate.is_nan() || rate <= 0.0 {
        return Err(format!("open loop: rate {rate} is not positive"));
    }
    let n = (duration.as_secs_f64() * rate).round() as u64;
    let start = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let scheduled = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(scheduled).await;
        let fut = op(i);
        tasks.spawn(async move {
            match tokio::time::timeout_at(scheduled + timeout, fut).await {
                Ok(ok) => (scheduled.elapsed(), ok),
                Err(_) => (timeout, false),
            }
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    while let Some(done) = tasks.join_next().await {
        let (latency, ok) = done.map_err(|e| format!("an open-loop request failed: {e}"))?;
        latencies.push(latency);
        errors += u64::from(!ok);
    }
    Ok(Sample::new(latencies, errors, start.elapsed()))
}

impl Sample {
    /// A sample from latencies and failures collected elsewhere (one class of requests out of a
    /// mixed run); `elapsed` is the run's.
    pub fn from_parts(latencies: Vec<Duration>, errors: u64, elapsed: Duration) -> Self {
        Self::new(latencies, errors, elapsed)
    }
}
