//! Peak resident set per phase. The server runs inside the benchmark process, so the kernel's
//! high-water mark (`VmHWM`) is reset before each phase and read after it: the figure then
//! covers that phase's server and its clients, not the fixture loader or earlier phases (memory
//! the allocator kept from them still counts, so it is an upper bound for the server).

/// Resets the high-water mark to the current resident set (Linux `clear_refs` value 5);
/// without it, later readings include every earlier phase.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The high-water mark since the last reset, MiB.
pub fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
