internal import CPosix

/// What every binary does first (DESIGN.md §7 Security): no core dump, so a crash can leak no decrypted secret —
/// the core size limit is 0 (soft and hard) and the process is not dumpable.
public enum ProcessHardening {
    @discardableResult
    public static func disableCoreDumps() -> Bool {
        CPosix_disable_core_dumps() == 0
    }
}
