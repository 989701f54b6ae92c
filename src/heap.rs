//! The shipped wasm's allocator: power-of-two size classes, each with a free list, carved from
//! pages the module grows. It replaces dlmalloc (~6 KB of code) with ~0.5 KB.
//!
//! Why this shape suits the client: wasm memory never shrinks, so returning pages is not an
//! option for any allocator; the allocations are a call's strings and buffers, freed when the
//! call settles, so the same few classes are reused over and over (iterating a million contacts
//! keeps the linear memory flat, measured by `make bench`). The cost is up to 2× rounding on a
//! block, bounded and paid in memory the module already holds. Single-threaded (wasm32 without
//! threads); `dealloc` gets the layout back from Rust, so blocks need no header.
//!
//! The logic is generic over where pages come from, so the host tests run it on a plain buffer.

use core::alloc::Layout;
use core::ptr::null_mut;

const PAGE: usize = 65536;
/// Smallest block: holds the free-list link and keeps every block 16-byte aligned.
const MIN_SHIFT: u32 = 4;
const CLASSES: usize = 28;
/// Blocks are aligned to 16 bytes; a stricter alignment (never used here) gets no block.
const MAX_ALIGN: usize = 16;

/// Where fresh pages come from: `grow(n)` returns the address of `n` new contiguous pages.
pub trait Pages {
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

pub struct Heap<P: Pages> {
    pages: P,
    /// First free byte of the current run of pages, and its end.
    next: usize,
    end: usize,
    /// One free list per class: the address of the first free block (0: none); each free block
    /// stores the address of the next in its first word.
    free: [usize; CLASSES],
}

/// The class of a layout: block size 1 << (class + MIN_SHIFT).
fn class(layout: &Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(1 << MIN_SHIFT);
    let shift = usize::BITS - (size - 1).leading_zeros();
    let c = shift.checked_sub(MIN_SHIFT)? as usize;
    if c < CLASSES { Some(c) } else { None }
}

impl<P: Pages> Heap<P> {
    pub const fn new(pages: P) -> Self {
        Heap { pages, next: 0, end: 0, free: [0; CLASSES] }
    }

    /// # Safety
    /// Addresses from `Pages` must be valid, writable memory owned by this heap alone.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(c) = class(&layout) else { return null_mut() };
        let Some(head) = self.free.get_mut(c) else { return null_mut() };
        if *head != 0 {
            let block = *head;
            *head = *(block as *const usize);
            return block as *mut u8;
        }
        let size = 1usize << (c as u32 + MIN_SHIFT);
        if self.end - self.next < size {
            // Fresh pages: contiguous with the current run unless something else grew memory.
            let n = size.div_ceil(PAGE);
            let Some(start) = self.pages.grow(n) else { return null_mut() };
            if start != self.end {
                self.next = start;
            }
            self.end = start + n * PAGE;
        }
        let block = self.next;
        self.next += size;
        block as *mut u8
    }

    /// # Safety
    /// `ptr` must come from `alloc` (or `realloc`) of this heap with this `layout`.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        if let Some(head) = class(&layout).and_then(|c| self.free.get_mut(c)) {
            *(ptr as *mut usize) = *head;
            *head = ptr as usize;
        }
    }

    /// # Safety
    /// As `dealloc`; `new_size` rounded up to `layout.align()` must not overflow isize.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else { return null_mut() };
        if let Some(c) = class(&new) {
            if Some(c) == class(&layout) {
                return ptr;
            }
        }
        let out = self.alloc(new);
        if !out.is_null() {
            core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        out
    }
}

#[cfg(all(target_arch = "wasm32", feature = "tiny"))]
pub mod global {
    use super::{Heap, Pages, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    pub struct Memory;
    impl Pages for Memory {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX { None } else { Some(old * PAGE) }
        }
    }

    pub struct Global(UnsafeCell<Heap<Memory>>);
    // wasm32 without threads: one thread, and the allocator is never re-entered.
    unsafe impl Sync for Global {}

    impl Global {
        pub const fn new() -> Self {
            Global(UnsafeCell::new(Heap::new(Memory)))
        }
    }

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout)
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).dealloc(ptr, layout)
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(ptr, layout, new_size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// Pages handed out from one host buffer, like `memory.grow` (optionally with a gap, as
    /// when something else grew the memory in between).
    struct Arena {
        base: usize,
        used: usize,
        cap: usize,
        gap_every: usize,
        calls: usize,
    }
    impl Pages for Arena {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            self.calls += 1;
            if self.gap_every > 0 && self.calls % self.gap_every == 0 {
                self.used += PAGE;
            }
            let n = pages * PAGE;
            if self.used + n > self.cap {
                return None;
            }
            let at = self.base + self.used;
            self.used += n;
            Some(at)
        }
    }

    fn heap(buf: &mut Vec<u8>, gap_every: usize) -> Heap<Arena> {
        let base = (buf.as_mut_ptr() as usize + PAGE - 1) / PAGE * PAGE;
        let cap = buf.len() - (base - buf.as_ptr() as usize);
        Heap::new(Arena { base, used: 0, cap, gap_every, calls: 0 })
    }

    #[test]
    fn classes() {
        let c = |s: usize, a: usize| class(&Layout::from_size_align(s, a).unwrap());
        assert_eq!(c(0, 1), Some(0));
        assert_eq!(c(16, 8), Some(0));
        assert_eq!(c(17, 1), Some(1));
        assert_eq!(c(32, 16), Some(1));
        assert_eq!(c(65536, 1), Some(12));
        assert_eq!(c(1 << 31, 1), Some(27));
        assert_eq!(c((1 << 31) + 1, 1), None);
        assert_eq!(c(8, 32), None);
    }

    #[test]
    fn blocks_are_aligned_disjoint_reused_and_kept_in_bounds() {
        for gap in [0, 3] {
            let mut buf = vec![0u8; 512 * PAGE];
            let mut h = heap(&mut buf, gap);
            let (lo, hi) = (h.pages.base, h.pages.base + h.pages.cap);
            let mut live: Vec<(usize, Layout)> = Vec::new();
            let mut seed = 12345u64;
            for i in 0..6000 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let r = (seed >> 33) as usize;
                if r % 2 == 0 && !live.is_empty() {
                    let (p, l) = live.swap_remove(r % live.len());
                    // The block still holds what was written into it.
                    let b = unsafe { core::slice::from_raw_parts(p as *const u8, l.size()) };
                    assert!(b.iter().all(|&x| x == (p % 251) as u8));
                    unsafe { h.dealloc(p as *mut u8, l) };
                    continue;
                }
                let size = if i % 97 == 0 { r % 200_000 } else { r % 600 };
                let l = Layout::from_size_align(size, [1, 2, 4, 8, 16][r % 5]).unwrap();
                let p = unsafe { h.alloc(l) } as usize;
                assert!(p != 0, "out of arena at step {i}");
                assert_eq!(p % 16, 0);
                assert!(p >= lo && p + size <= hi);
                for &(q, m) in &live {
                    assert!(p + size.max(1) <= q || q + m.size().max(1) <= p, "overlap");
                }
                unsafe { core::ptr::write_bytes(p as *mut u8, (p % 251) as u8, size) };
                live.push((p, l));
            }
        }
    }

    #[test]
    fn realloc_keeps_contents_and_the_block_within_its_class() {
        let mut buf = vec![0u8; 8 * PAGE];
        let mut h = heap(&mut buf, 0);
        unsafe {
            let l = Layout::from_size_align(20, 1).unwrap();
            let p = h.alloc(l);
            core::ptr::copy_nonoverlapping(b"abcdefghijklmnopqrst".as_ptr(), p, 20);
            assert_eq!(h.realloc(p, l, 32), p, "same class: same block");
            let q = h.realloc(p, Layout::from_size_align(32, 1).unwrap(), 100);
            assert_ne!(q, p);
            assert_eq!(core::slice::from_raw_parts(q, 20), b"abcdefghijklmnopqrst");
            // The old block went back to its class.
            assert_eq!(h.alloc(Layout::from_size_align(30, 1).unwrap()), p);
        }
    }

    #[test]
    fn out_of_memory_is_a_null_pointer_not_a_panic() {
        let mut buf = vec![0u8; 4 * PAGE];
        let mut h = heap(&mut buf, 0);
        unsafe {
            assert!(h.alloc(Layout::from_size_align(8 * PAGE, 1).unwrap()).is_null());
            assert!(h.alloc(Layout::from_size_align(8, 64).unwrap()).is_null());
            assert!(!h.alloc(Layout::from_size_align(8, 8).unwrap()).is_null());
        }
    }
}
