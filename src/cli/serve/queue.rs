//! The server's work queue: every `/api/` call waits here for a worker.
//!
//! Two lanes keep a classroom responsive: single runs and other quick calls
//! go to the *quick* lane, populations to the *heavy* lane, whose workers
//! share all cores but one. Within a lane, waiting calls are taken in turn
//! from each client (its network address), so one student's burst of
//! requests never starves another's. The queue is bounded, in total and
//! per client, and a call whose client hung up is skipped or stopped.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};

/// Calls waiting in both lanes together.
pub const MAX_WAITING: usize = 64;
/// Calls one client may have waiting or running at once.
pub const MAX_PER_CLIENT: usize = 4;

/// Which workers run a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Single runs, the circuit view, the catalog: milliseconds each.
    Quick,
    /// Populations and runs over many months: up to seconds each.
    Heavy,
}

impl Lane {
    /// The lane of an API call ([`synsim_web::api::is_heavy`]).
    pub fn of(method: &str, body: &str) -> Lane {
        if synsim_web::api::is_heavy(method, body) {
            Lane::Heavy
        } else {
            Lane::Quick
        }
    }
}

/// One API call waiting for a worker.
pub struct Job {
    /// API method.
    pub method: String,
    /// Request JSON.
    pub body: String,
    /// Set when the client goes away: the call is skipped or stopped.
    pub cancel: Arc<AtomicBool>,
    /// Where the (status, JSON) answer goes.
    pub reply: Sender<(u16, String)>,
    client: IpAddr,
}

/// Why a call was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The queue holds [`MAX_WAITING`] calls.
    Full,
    /// This client has [`MAX_PER_CLIENT`] calls waiting or running.
    ClientBusy,
}

#[derive(Default)]
struct LaneQueue {
    /// Each client's waiting calls, oldest first.
    waiting: HashMap<IpAddr, VecDeque<Job>>,
    /// Clients with waiting calls, in the order they are served.
    turn: VecDeque<IpAddr>,
}

impl LaneQueue {
    fn push(&mut self, job: Job) {
        let q = self.waiting.entry(job.client).or_default();
        if q.is_empty() {
            self.turn.push_back(job.client);
        }
        q.push_back(job);
    }

    /// The next client's oldest call; that client goes to the back.
    fn pop(&mut self) -> Option<Job> {
        let client = self.turn.pop_front()?;
        let q = self.waiting.get_mut(&client)?;
        let job = q.pop_front();
        if q.is_empty() {
            self.waiting.remove(&client);
        } else {
            self.turn.push_back(client);
        }
        job
    }
}

#[derive(Default)]
struct State {
    quick: LaneQueue,
    heavy: LaneQueue,
    waiting: usize,
    /// Calls waiting or running, per client.
    open: HashMap<IpAddr, usize>,
    /// Calls skipped because their client had gone.
    skipped: u64,
}

impl State {
    fn lane(&mut self, lane: Lane) -> &mut LaneQueue {
        match lane {
            Lane::Quick => &mut self.quick,
            Lane::Heavy => &mut self.heavy,
        }
    }
}

/// The shared queue; clone the `Arc` into every worker.
#[derive(Default)]
pub struct Queue {
    state: Mutex<State>,
    ready: Condvar,
}

impl Queue {
    /// Queues a call from `client`, or says why not. The call counts
    /// against its client until the [`Ticket`] is dropped, after its answer
    /// was written (or the client hung up): a client that never reads its
    /// answers holds at most [`MAX_PER_CLIENT`] of them in memory.
    pub fn submit(
        &self,
        client: IpAddr,
        method: &str,
        body: String,
        reply: Sender<(u16, String)>,
    ) -> Result<Ticket<'_>, Refusal> {
        // Sized before the lock: reading the request takes a moment.
        let lane = Lane::of(method, &body);
        let mut st = self.lock();
        if st.waiting >= MAX_WAITING {
            return Err(Refusal::Full);
        }
        let open = st.open.entry(client).or_insert(0);
        if *open >= MAX_PER_CLIENT {
            return Err(Refusal::ClientBusy);
        }
        *open += 1;
        st.waiting += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        st.lane(lane).push(Job {
            method: method.to_string(),
            body,
            cancel: Arc::clone(&cancel),
            reply,
            client,
        });
        drop(st);
        self.ready.notify_all();
        Ok(Ticket {
            queue: self,
            client,
            cancel,
        })
    }

    /// Waits for the next call of `lane` whose client is still there.
    pub fn next(&self, lane: Lane) -> Job {
        let mut st = self.lock();
        loop {
            while let Some(job) = st.lane(lane).pop() {
                st.waiting -= 1;
                if !job.cancel.load(Ordering::Acquire) {
                    return job;
                }
                st.skipped += 1;
            }
            st = self
                .ready
                .wait(st)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Calls skipped so far because their client had gone.
    #[cfg(test)]
    pub fn skipped(&self) -> u64 {
        self.lock().skipped
    }

    fn release(&self, client: IpAddr) {
        let mut st = self.lock();
        if let Some(n) = st.open.get_mut(&client) {
            *n -= 1;
            if *n == 0 {
                st.open.remove(&client);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A worker that panicked left consistent counts behind: go on.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A queued call, counted against its client while the ticket lives.
pub struct Ticket<'a> {
    queue: &'a Queue,
    client: IpAddr,
    /// Set it when the client hangs up: the call is skipped or stopped.
    pub cancel: Arc<AtomicBool>,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.queue.release(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn ip(k: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, k])
    }

    #[test]
    fn clients_take_turns_within_a_lane() {
        let q = Queue::default();
        let (tx, _rx) = channel();
        let mut held = Vec::new();
        for body in ["a1", "a2", "a3"] {
            held.push(q.submit(ip(1), "run", body.into(), tx.clone()).unwrap());
        }
        held.push(q.submit(ip(2), "run", "b1".into(), tx.clone()).unwrap());
        held.push(
            q.submit(ip(3), "population", "c1".into(), tx.clone())
                .unwrap(),
        );
        let order: Vec<String> = (0..4).map(|_| q.next(Lane::Quick).body).collect();
        assert_eq!(order, ["a1", "b1", "a2", "a3"]);
        assert_eq!(q.next(Lane::Heavy).body, "c1");
    }

    #[test]
    fn the_queue_is_bounded_in_total_and_per_client() {
        let q = Queue::default();
        let (tx, _rx) = channel();
        let mut held: Vec<Ticket> = (0..MAX_PER_CLIENT)
            .map(|_| q.submit(ip(1), "run", String::new(), tx.clone()).unwrap())
            .collect();
        let refused = q.submit(ip(1), "run", String::new(), tx.clone());
        assert_eq!(refused.err(), Some(Refusal::ClientBusy));
        // A call whose answer was taken, or whose client hung up, frees its
        // client's place; one still running or being written does not.
        let _running = q.next(Lane::Quick);
        assert!(q.submit(ip(1), "run", String::new(), tx.clone()).is_err());
        held.pop();
        held.push(q.submit(ip(1), "run", String::new(), tx.clone()).unwrap());
        let mut k = 2u8;
        while let Ok(t) = q.submit(ip(k), "run", String::new(), tx.clone()) {
            held.push(t);
            k += 1;
        }
        assert_eq!(
            q.submit(ip(250), "run", String::new(), tx.clone()).err(),
            Some(Refusal::Full)
        );
        assert_eq!(q.lock().waiting, MAX_WAITING);
    }

    #[test]
    fn a_call_whose_client_went_away_is_skipped() {
        let q = Queue::default();
        let (tx, _rx) = channel();
        let gone = q.submit(ip(1), "run", "gone".into(), tx.clone()).unwrap();
        let _here = q.submit(ip(2), "run", "here".into(), tx.clone()).unwrap();
        gone.cancel.store(true, Ordering::Release);
        drop(gone);
        assert_eq!(q.next(Lane::Quick).body, "here");
        assert_eq!(q.skipped(), 1);
        assert!(!q.lock().open.contains_key(&ip(1)));
    }
}
