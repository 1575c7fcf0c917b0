//! Received RECORD bodies waiting to be read, kept as the blocks they
//! arrived in.
//!
//! The transport splits a whole run of RECORD messages off its read buffer
//! at once; the queue keeps that block and where each body lies in it, so
//! receiving a record costs no reference count, no allocation and no move,
//! and a reader can decode a body in place.

use std::collections::VecDeque;
use std::ops::Range;

use bytes::Bytes;

/// One block of received bytes and the record bodies inside it.
#[derive(Debug)]
struct Block {
    bytes: Bytes,
    bodies: Vec<Range<u32>>,
    /// The first body not yet taken.
    next: usize,
}

impl Block {
    fn remaining(&self) -> usize {
        self.bodies.len() - self.next
    }
}

/// RECORD bodies in arrival order.
#[derive(Debug, Default)]
pub(crate) struct RecordQueue {
    blocks: VecDeque<Block>,
    len: usize,
    /// The block [`take_in_place`](Self::take_in_place) lent its last
    /// body from, kept until the next one is lent.
    lent: Option<Bytes>,
}

impl RecordQueue {
    /// The number of records waiting.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends the records of a block: `bodies` are ranges of `bytes`.
    pub(crate) fn push_block(&mut self, bytes: Bytes, bodies: Vec<Range<u32>>) {
        debug_assert!(
            bodies
                .iter()
                .all(|r| r.start <= r.end && r.end as usize <= bytes.len())
        );
        if bodies.is_empty() {
            return;
        }
        self.len += bodies.len();
        self.blocks.push_back(Block {
            bytes,
            bodies,
            next: 0,
        });
    }

    /// Appends one record body.
    pub(crate) fn push(&mut self, body: Bytes) {
        match u32::try_from(body.len()) {
            Ok(len) => self.push_block(body, std::iter::once(0..len).collect()),
            // Larger than any message a dechunker accepts.
            Err(_) => debug_assert!(false, "a record body over 4 GiB"),
        }
    }

    /// Takes the next body as its own `Bytes` (sharing the block's memory).
    pub(crate) fn pop(&mut self) -> Option<Bytes> {
        self.pop_with(|bytes, range| bytes.slice(range))
    }

    /// Takes the next body and hands it to `read` in place.
    #[inline]
    pub(crate) fn pop_with<R>(
        &mut self,
        read: impl FnOnce(&Bytes, Range<usize>) -> R,
    ) -> Option<R> {
        let block = self.blocks.front_mut()?;
        let range = block.bodies[block.next].clone();
        block.next += 1;
        self.len -= 1;
        let result = read(&block.bytes, range.start as usize..range.end as usize);
        if block.remaining() == 0 {
            self.blocks.pop_front();
        }
        Some(result)
    }

    /// Takes the next body and lends it where it lies: the block stays in
    /// the queue (the last body's block is kept aside until the next body
    /// is lent), so the body lives as long as the borrow of the queue.
    #[inline]
    pub(crate) fn take_in_place(&mut self) -> Option<&[u8]> {
        let block = self.blocks.front_mut()?;
        let range = block.bodies[block.next].clone();
        block.next += 1;
        self.len -= 1;
        let range = range.start as usize..range.end as usize;
        if block.remaining() != 0 {
            return self.blocks.front()?.bytes.get(range);
        }
        let spent = self.blocks.pop_front()?;
        self.lent.insert(spent.bytes).get(range)
    }

    /// Drops every waiting record.
    pub(crate) fn clear(&mut self) {
        self.blocks.clear();
        self.len = 0;
        self.lent = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_out_in_arrival_order_across_blocks() {
        let mut queue = RecordQueue::default();
        queue.push_block(Bytes::from_static(b"..ab..c"), vec![2..4, 6..7]);
        queue.push(Bytes::from_static(b"single"));
        queue.push_block(Bytes::from_static(b"nothing"), vec![]);
        queue.push_block(Bytes::from_static(b"xyz"), vec![0..1, 1..3]);
        assert_eq!(queue.len(), 5);
        assert_eq!(queue.pop().as_deref(), Some(&b"ab"[..]));
        let in_place = queue.pop_with(|bytes, range| bytes[range].to_vec());
        assert_eq!(in_place.as_deref(), Some(&b"c"[..]));
        assert_eq!(queue.pop().as_deref(), Some(&b"single"[..]));
        assert_eq!(queue.len(), 2);
        queue.clear();
        assert!(queue.is_empty());
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn bodies_lent_in_place_come_out_in_arrival_order_mixed_with_taken_ones() {
        let mut queue = RecordQueue::default();
        queue.push_block(Bytes::from_static(b"..ab..c"), vec![2..4, 6..7]);
        queue.push_block(Bytes::from_static(b"xyz"), vec![0..1, 1..3]);
        assert_eq!(queue.take_in_place(), Some(&b"ab"[..]));
        assert_eq!(queue.take_in_place(), Some(&b"c"[..]));
        // The first block is spent: it is kept aside while its last body
        // is lent.
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.blocks.len(), 1);
        assert_eq!(queue.lent.as_deref(), Some(&b"..ab..c"[..]));
        assert_eq!(queue.pop().as_deref(), Some(&b"x"[..]));
        assert_eq!(queue.take_in_place(), Some(&b"yz"[..]));
        assert_eq!(queue.lent.as_deref(), Some(&b"xyz"[..]));
        assert!(queue.is_empty());
        assert_eq!(queue.take_in_place(), None);
        assert!(queue.blocks.is_empty());
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn a_taken_body_outlives_its_queue() {
        let mut queue = RecordQueue::default();
        queue.push_block(Bytes::from(b"0123456789".to_vec()), vec![0..3, 5..9]);
        let first = queue.pop();
        drop(queue);
        assert_eq!(first.as_deref(), Some(&b"012"[..]));
    }
}
