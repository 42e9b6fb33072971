import Glibc
import Synchronization

/// How every runner in the process is asked to stop — one way for both hosts of the loop: `process-job` asks on
/// SIGTERM / SIGINT (`stopOnSignals`), `ml-connector-server` on its graceful shutdown. A runner checks the flag
/// between jobs (the job in hand is always finished), and the wake-up pipe, which becomes readable for good once a
/// stop is requested, ends its wait for work at once.
extension JobRunner {
    static let stopRequested = Atomic<Bool>(false)

    /// The pipe the wait for work polls beside the database socket; a stop writes one byte and nothing reads it.
    private static let wakeUp: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return (-1, -1) }
        return (ends[0], ends[1])
    }()

    /// Asks every runner of this process to stop after the job in hand. Async-signal-safe once `wakeUp` exists
    /// (`stopOnSignals` creates it before a handler can run).
    public static func requestStop() {
        guard !stopRequested.exchange(true, ordering: .relaxed) else { return }
        var byte: UInt8 = 1
        _ = write(wakeUp.write, &byte, 1)
    }

    /// Whether a stop was requested.
    public static var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }

    /// SIGTERM / SIGINT request a stop (and interrupt the wait for work). They are unblocked too: a supervisor may
    /// start us with them blocked, and an exec keeps the signal mask. For a process whose signals are its own
    /// (`process-job`); a server with its own signal handling calls `requestStop` instead.
    public static func stopOnSignals() {
        _ = wakeUp
        let handler: @convention(c) (Int32) -> Void = { _ in JobRunner.requestStop() }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Waits up to `seconds` for a stop; true when one was requested.
    public static func waitForStop(seconds: Int) -> Bool {
        var descriptor = pollfd(fd: wakeUp.read, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(seconds * 1000))
        return isStopRequested
    }

    /// Readable once a stop was requested, for the wait for work to poll.
    static var stopDescriptor: Int32 { wakeUp.read }
}
