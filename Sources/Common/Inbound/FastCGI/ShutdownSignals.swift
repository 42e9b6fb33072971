import Glibc
import CPosix

/// SIGTERM and SIGINT for a process that serves many requests (DESIGN.md §5.3): both are blocked except while the
/// process waits for input (`wait`, through `ppoll`), so a signal never interrupts a request being handled — the
/// request in hand finishes — and never slips in between a check and a wait. Their handler does nothing and is
/// installed without `SA_RESTART`, so the wait it interrupts returns `EINTR`. SIGPIPE is ignored: a client that went
/// away makes a write fail, it does not end the process. One per process.
final class ShutdownSignals {
    enum Wait: Equatable {
        /// The first descriptor can be read.
        case ready
        /// The other descriptor can be read (and the first cannot).
        case otherReady
        case timedOut, interrupted, failed
    }

    /// The signal mask during waits: the process's own, with SIGTERM and SIGINT let through.
    private var waitMask = sigset_t()
    private var stopping = sigset_t()
    private var interrupted = false

    init() {
        signal(SIGPIPE, SIG_IGN)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigemptyset(&stopping)
        for number in [SIGTERM, SIGINT] {
            sigaction(number, &action, nil)
            sigaddset(&stopping, number)
        }
        pthread_sigmask(SIG_BLOCK, &stopping, &waitMask)
        sigdelset(&waitMask, SIGTERM)
        sigdelset(&waitMask, SIGINT)
    }

    /// SIGTERM or SIGINT arrived: during a wait, or since, still pending while blocked.
    var stopRequested: Bool {
        if interrupted { return true }
        var pending = sigset_t()
        sigpending(&pending)
        return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1
    }

    /// Waits until `descriptor` (or `other`) can be read, for at most `milliseconds` (-1: no limit), or a signal arrives.
    func wait(_ descriptor: Int32, or other: Int32? = nil, milliseconds: Int32) -> Wait {
        var entries = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: other ?? -1, events: Int16(POLLIN), revents: 0)]
        let result = CPosix_ppoll(&entries, other == nil ? 1 : 2, milliseconds, &waitMask)
        if result > 0 { return entries[0].revents != 0 ? .ready : .otherReady }
        if result == 0 { return .timedOut }
        guard errno == EINTR else { return .failed }
        interrupted = true
        return .interrupted
    }
}
