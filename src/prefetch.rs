//! A hint to the CPU that some memory is about to be read or written.
//!
//! The stages that look up or join tables as large as their input (the
//! matcher's lookups, the audit's join) read a few scattered cache lines
//! per item. On an input larger than the CPU's caches each of those reads
//! waits for memory, one after the other. Asking for the lines of an item a
//! few places ahead lets those waits overlap with the work on the current
//! item.

/// Starts bringing the cache line that holds `value`'s first byte into the
/// cache. Only a hint: nothing is read into the program, and a no-op where
/// the target has no stable prefetch instruction.
#[inline(always)]
pub fn prefetch<T: ?Sized>(value: &T) {
    prefetch_at((value as *const T).cast::<u8>());
}

/// Starts bringing every cache line of `value` into the cache (for a
/// record larger than a line).
#[inline(always)]
pub fn prefetch_all<T>(value: &T) {
    let at = (value as *const T).cast::<u8>();
    for offset in (0..std::mem::size_of::<T>()).step_by(64) {
        prefetch_at(at.wrapping_add(offset));
    }
}

/// Starts bringing the cache line that holds the byte at `at` into the
/// cache (any address: nothing is read).
#[inline(always)]
fn prefetch_at(at: *const u8) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads nothing into the program's state and
        // never faults, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(at.cast::<i8>()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}
