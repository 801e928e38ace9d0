//! Undo/redo over snapshots of the edited value.

use std::collections::VecDeque;

/// Snapshots before each change, so any change can be undone and redone.
///
/// Snapshots are whole values: a role is small, and whole snapshots make undo correct
/// by construction (no inverse operations to get wrong).
#[derive(Clone, Debug)]
pub struct History<T> {
    undo: VecDeque<T>,
    redo: Vec<T>,
    capacity: usize,
}

impl<T: Clone + PartialEq> History<T> {
    /// Keeps at most `capacity` undo steps (the oldest are dropped first).
    pub fn new(capacity: usize) -> Self {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// Records `before`, the value as it was before a change. A new change clears redo.
    /// Recording a value equal to the last one is a no-op, so no-op edits cost no step.
    pub fn record(&mut self, before: T) {
        if self.undo.back() == Some(&before) {
            return;
        }
        if self.undo.len() == self.capacity {
            self.undo.pop_front();
        }
        self.undo.push_back(before);
        self.redo.clear();
    }

    /// Steps back: returns the previous value and keeps `current` for redo.
    pub fn undo(&mut self, current: T) -> Option<T> {
        let previous = self.undo.pop_back()?;
        self.redo.push(current);
        Some(previous)
    }

    /// Steps forward again after an undo.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let next = self.redo.pop()?;
        self.undo.push_back(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

impl<T: Clone + PartialEq> Default for History<T> {
    fn default() -> Self {
        History::new(200)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_walk_the_changes() {
        let mut h = History::new(10);
        let mut value = 0;
        for next in 1..=3 {
            h.record(value);
            value = next;
        }
        value = h.undo(value).unwrap();
        assert_eq!(value, 2);
        value = h.undo(value).unwrap();
        assert_eq!(value, 1);
        value = h.redo(value).unwrap();
        assert_eq!(value, 2);
        // A new change drops the redo branch.
        h.record(value);
        value = 10;
        assert!(!h.can_redo());
        assert_eq!(h.undo(value), Some(2));
    }

    #[test]
    fn keeps_at_least_a_hundred_steps_and_drops_the_oldest() {
        let mut h = History::default();
        let mut value = 0;
        for next in 1..=250 {
            h.record(value);
            value = next;
        }
        assert_eq!(h.undo_len(), 200);
        let mut steps = 0;
        while let Some(v) = h.undo(value) {
            value = v;
            steps += 1;
        }
        assert_eq!(steps, 200);
        assert_eq!(value, 50);
    }

    #[test]
    fn identical_snapshots_cost_no_step() {
        let mut h = History::new(10);
        h.record(1);
        h.record(1);
        assert_eq!(h.undo_len(), 1);
    }
}
