import Glibc
public import Logging

/// A FastCGI 1.0 responder of our own (DESIGN.md §5.3), not libfcgi: libfcgi installs process-wide signal handlers,
/// guesses from fd 0 on its own, and its record parser is not ours to fuzz. It accepts connections on `listener`
/// and serves `FCGI_RESPONDER` requests one after another, one at a time, each with the same request → response
/// function as CGI. It returns after `maxRequests` answers (the supervisor starts a new process) or once SIGTERM or
/// SIGINT arrived and the request in hand — one whose records have started to arrive — is answered. A kept connection
/// waiting idle for its next request gives way to a connection waiting to be accepted (it is closed between two
/// requests, which the web server sees as the end of an idle keep-alive connection), so an idle keep-alive
/// connection never stalls the others for the read timeout.
public final class FastCGIResponder {
    public enum Ending: Equatable, Sendable {
        /// `MLC_MAX_REQUESTS` answers given.
        case recycled
        /// SIGTERM or SIGINT.
        case stopped
        /// The listening socket failed (errno): the process cannot serve.
        case listenerFailed(Int32)
    }

    /// A silent or slow client loses its connection after this long: waiting for a request on a kept connection,
    /// or for the rest of one that has begun.
    public static let readTimeoutSeconds = 30

    private let listener: Int32
    private let maxRequests: Int
    private let logger: Logger
    private let handle: (InboundRequest) -> InboundResponse
    private let signals = ShutdownSignals()
    private var answered = 0
    /// A connection accepted while another sat idle: served next.
    private var accepted: Int32?

    public init(listener: Int32, maxRequests: Int, logger: Logger, handle: @escaping (InboundRequest) -> InboundResponse) {
        self.listener = listener
        self.maxRequests = maxRequests
        self.logger = logger
        self.handle = handle
        // Several processes may share the socket (spawn-fcgi -F, systemd): the one woken second must not block in
        // accept while the first took the connection.
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
    }

    public func run() -> Ending {
        while true {
            if answered >= maxRequests { return .recycled }
            if signals.stopRequested { return .stopped }
            if let next = accepted {
                accepted = nil
                serve(FastCGIConnection(descriptor: next, timeoutSeconds: Self.readTimeoutSeconds))
                continue
            }
            switch signals.wait(listener, milliseconds: -1) {
            case .interrupted, .timedOut, .otherReady: continue
            case .failed: return .listenerFailed(errno)
            case .ready: break
            }
            let descriptor = accept(listener, nil, nil)
            guard descriptor >= 0 else {
                switch errno {
                case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    logger.error("accept failed, retrying", metadata: ["errno": "\(errno)"])
                    usleep(100_000)
                    continue
                default: return .listenerFailed(errno)
                }
            }
            serve(FastCGIConnection(descriptor: descriptor, timeoutSeconds: Self.readTimeoutSeconds))
        }
    }

    /// Serves one connection until it closes, asks to, times out, sends what is not FastCGI, or the process is done.
    private func serve(_ connection: FastCGIConnection) {
        var decoder = FastCGIRecordDecoder()
        var assembler = FastCGIRequestAssembler()
        var deadline = FastCGIConnection.now() + Int64(Self.readTimeoutSeconds) * 1000
        var givesWay = true
        do {
            while true {
                while let record = try decoder.next() {
                    switch try assembler.receive(record) {
                    case .none: continue
                    case .reply(let bytes, let thenClose):
                        guard connection.write(bytes), !thenClose else { return connection.finish() }
                    case .request(let request):
                        guard answer(request, on: connection), !request.closesConnection,
                              answered < maxRequests, !signals.stopRequested else { return connection.finish() }
                        deadline = FastCGIConnection.now() + Int64(Self.readTimeoutSeconds) * 1000
                    }
                }
                let idle = assembler.isIdle && !decoder.hasBufferedBytes
                if idle && signals.stopRequested { return connection.finish() }
                switch connection.read(into: &decoder, deadline: deadline, signals: signals, listener: idle && givesWay ? listener : nil) {
                case .listenerReady:
                    // Another process sharing the socket may have taken it; if not, this idle connection gives way.
                    let next = accept(listener, nil, nil)
                    if next >= 0 {
                        accepted = next
                        return connection.finish()
                    }
                    // Out of descriptors or memory: keep to this connection rather than spin on the listener.
                    if ![EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO].contains(errno) { givesWay = false }
                case .bytes:
                    // A new request has begun: it has its own time to arrive whole.
                    if idle { deadline = FastCGIConnection.now() + Int64(Self.readTimeoutSeconds) * 1000 }
                case .interrupted: continue // idle: the check above ends the connection; otherwise the request is in hand
                case .closed: return
                case .timedOut:
                    logger.info("FastCGI connection closed after \(Self.readTimeoutSeconds) s without a whole request")
                    return connection.finish()
                }
            }
        } catch {
            logger.warning("FastCGI connection closed", metadata: ["error": "\(error)"])
            connection.finish()
        }
    }

    /// The request's answer on `FCGI_STDOUT`, then `FCGI_END_REQUEST`; false when the peer did not take it.
    private func answer(_ request: FastCGIRequest, on connection: FastCGIConnection) -> Bool {
        let response: InboundResponse
        switch request.read {
        case .success(let inbound): response = handle(inbound)
        case .failure(let failure): response = failure.response
        }
        answered += 1
        return connection.write(FastCGIRecord.response(request.requestID, stdout: RequestIO.encodeCGI(response)))
    }
}
