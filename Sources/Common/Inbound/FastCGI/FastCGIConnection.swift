import Glibc

/// One accepted FastCGI connection, the owner of its socket (closed in `deinit`): reads with a deadline through
/// `ShutdownSignals.wait`, writes whole buffers (a peer that stops reading for `timeoutSeconds` ends the write).
final class FastCGIConnection {
    enum Read {
        case bytes(Int)
        case closed
        case timedOut
        /// SIGTERM or SIGINT arrived during the wait.
        case interrupted
        /// Nothing to read yet, and the listening socket has a connection waiting.
        case listenerReady
    }

    private let descriptor: Int32
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(descriptor: Int32, timeoutSeconds: Int) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Reads what is there (at most 64 KiB) into `decoder`, waiting until `deadline` (CLOCK_MONOTONIC milliseconds);
    /// with `listener`, stops waiting when a connection is waiting there.
    func read(into decoder: inout FastCGIRecordDecoder, deadline: Int64, signals: ShutdownSignals, listener: Int32?) -> Read {
        while true {
            let left = deadline - Self.now()
            guard left > 0 else { return .timedOut }
            switch signals.wait(descriptor, or: listener, milliseconds: Int32(clamping: left)) {
            case .otherReady: return .listenerReady
            case .timedOut: return .timedOut
            case .interrupted: return .interrupted
            case .failed: return .closed
            case .ready: break
            }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count > 0 {
                decoder.append(chunk[0..<count])
                return .bytes(count)
            }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return .closed
        }
    }

    /// Writes all of `bytes`; false when the peer is gone or stopped reading.
    func write(_ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count > 0 { written += count } else if count < 0 && errno == EINTR { continue } else { return false }
        }
        return true
    }

    /// Ends the connection after what was written (FIN before the close, so the answer arrives ahead of any reset).
    func finish() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// CLOCK_MONOTONIC in milliseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
