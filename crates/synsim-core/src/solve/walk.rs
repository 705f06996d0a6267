//! The segment walk: a run cut at every dose start, infusion stop and new
//! episode, each piece handed to an integrator, for one patient or for a
//! lock-step batch alike.

use super::{check_finite, stalled, SolveError};
use crate::model::{Model, State};
use crate::pk::{Infusion, PkModel};
use crate::regimen::DoseEvent;

/// Walks the window segment by segment for one patient: applies the doses
/// at each boundary, moves the state across the segment with `advance(y0,
/// infusion, (t0, t1), t_out, out)` (which calls `out(k, state)` at each
/// `t_out[k]` and returns the state at `t1`), and hands every output row to
/// `emit(t, state, infusion)` (the first error stops the walk). The walk
/// itself is [`walk_lanes`], the same for a lock-step batch.
pub(super) fn walk(
    model: &Model,
    doses: &[DoseEvent],
    times: &[f64],
    mut advance: impl FnMut(
        &State,
        &Infusion,
        (f64, f64),
        &[f64],
        &mut dyn FnMut(usize, &State),
    ) -> Result<State, SolveError>,
    mut emit: impl FnMut(f64, &State, &Infusion) -> Result<(), SolveError>,
) -> Result<(), SolveError> {
    if times.windows(2).any(|w| w[0] >= w[1]) || times.iter().any(|t| !t.is_finite()) {
        return Err(SolveError::BadGrid(
            "output times must be finite, sorted and without repeats".into(),
        ));
    }
    walk_lanes(
        [model],
        doses,
        times,
        |[y]: &[State; 1],
         [inf]: &[Infusion; 1],
         span: (f64, f64),
         t_out: &[f64],
         out: &mut dyn FnMut(usize, usize, &State)| {
            let end = advance(y, inf, span, t_out, &mut |k, state| out(k, 0, state));
            end.map(|y| [y]).map_err(|e| match e {
                SolveError::Integrator { t_h, msg } => stalled(model, y, inf, t_h, msg),
                e => e,
            })
        },
        |_, t, state, inf| emit(t, state, inf),
        check_finite,
    )
}

/// How a walk moves the states of its `K` patients across one segment:
/// `advance(y0, infusions, (t0, t1), t_out, out)` calls `out(k, lane,
/// state)` at each `t_out[k]` and returns the states at `t1`. Any closure of
/// that shape is one; the lock-step batch implements it on a type of its
/// own, whose `#[inline(always)]` method is compiled into its caller (for
/// AVX2 on x86-64), where a closure would be compiled on its own.
pub(crate) trait Advance<const K: usize, E> {
    /// Moves the states across `span`.
    fn advance(
        &mut self,
        y: &[State; K],
        inf: &[Infusion; K],
        span: (f64, f64),
        t_out: &[f64],
        out: &mut dyn FnMut(usize, usize, &State),
    ) -> Result<[State; K], E>;
}

impl<const K: usize, E, F> Advance<K, E> for F
where
    F: FnMut(
        &[State; K],
        &[Infusion; K],
        (f64, f64),
        &[f64],
        &mut dyn FnMut(usize, usize, &State),
    ) -> Result<[State; K], E>,
{
    fn advance(
        &mut self,
        y: &[State; K],
        inf: &[Infusion; K],
        span: (f64, f64),
        t_out: &[f64],
        out: &mut dyn FnMut(usize, usize, &State),
    ) -> Result<[State; K], E> {
        self(y, inf, span, t_out, out)
    }
}

/// The segment walk of `K` patients that share their segments (one
/// patient, or a lock-step batch): from their drug-free steady states,
/// applies the doses, sessions and new episodes at each boundary, moves
/// every state across the segment with `advance` ([`Advance`]), checks
/// each end state with `check`, and
/// hands every output row to `emit(lane, t, state, infusion)`, in time
/// order within each lane. The first error stops the walk.
#[inline(always)]
pub(crate) fn walk_lanes<const K: usize, E>(
    models: [&Model; K],
    doses: &[DoseEvent],
    times: &[f64],
    mut advance: impl Advance<K, E>,
    mut emit: impl FnMut(usize, f64, &State, &Infusion) -> Result<(), E>,
    check: impl Fn(&State, f64) -> Result<(), E>,
) -> Result<(), E> {
    let mut y: [State; K] = models.map(|m| m.baseline());
    let mut next_out = 0;
    // A lane's new episode is a boundary for every lane (they share their
    // steps); only its own lane's state jumps there.
    let episodes: Vec<f64> = models.iter().filter_map(|m| m.episode_onset_h()).collect();
    for seg in breakpoints(doses, times, &episodes).windows(2) {
        let (t0, t1) = (seg[0], seg[1]);
        for ev in doses.iter().filter(|e| e.time_h == t0) {
            for (m, y) in models.iter().zip(y.iter_mut()) {
                m.pk.apply_dose(ev, m.weight_kg, y);
                m.apply_session(ev, y);
            }
        }
        for (m, y) in models.iter().zip(y.iter_mut()) {
            m.apply_episode(t0, y);
        }
        let inf: [Infusion; K] = models.map(|m| infusion_at(doses, t0, m.weight_kg));
        // Outputs at exactly t0 come straight from the state after the doses.
        while next_out < times.len() && times[next_out] == t0 {
            for l in 0..K {
                emit(l, t0, &y[l], &inf[l])?;
            }
            next_out += 1;
        }
        let first = next_out;
        while next_out < times.len() && times[next_out] < t1 {
            next_out += 1;
        }
        let t_out = &times[first..next_out];
        let mut status = Ok(());
        y = advance.advance(&y, &inf, (t0, t1), t_out, &mut |k, l, state| {
            // The first failing row ends the output; the walk reports it.
            if status.is_ok() {
                status = emit(l, t_out[k], state, &inf[l]);
            }
        })?;
        status?;
        for state in &y {
            check(state, t1)?;
        }
    }
    // The last output time equals the end of the last segment.
    if next_out < times.len() {
        let t = times[next_out];
        for (l, m) in models.iter().enumerate() {
            emit(l, t, &y[l], &infusion_at(doses, t, m.weight_kg))?;
        }
    }
    Ok(())
}

/// Segment boundaries: the first and last output time and every dose start,
/// infusion stop and new episode (`episodes`, onsets in h) between them,
/// sorted and without repeats.
fn breakpoints(doses: &[DoseEvent], times: &[f64], episodes: &[f64]) -> Vec<f64> {
    let (Some(&start), Some(&end)) = (times.first(), times.last()) else {
        return Vec::new();
    };
    let mut b = vec![start, end];
    let events = doses.iter().flat_map(|d| [d.time_h, d.end_h()]);
    for t in events.chain(episodes.iter().copied()) {
        if t > start && t < end {
            b.push(t);
        }
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// Total infusion running during the segment that starts at `t`.
fn infusion_at(doses: &[DoseEvent], t: f64, weight_kg: f64) -> Infusion {
    doses
        .iter()
        .filter(|d| d.time_h <= t && t < d.end_h())
        .map(|d| PkModel::infusion_rate(d, weight_kg))
        .fold(Infusion::default(), Infusion::plus)
}
