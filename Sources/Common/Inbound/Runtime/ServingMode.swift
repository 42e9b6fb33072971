import Glibc
public import Core

/// How a handler binary is being run, decided once at start in the order of DESIGN.md §5.3: the AWS Lambda custom
/// runtime, FastCGI (a listening socket on fd 0, or one passed by systemd socket activation), CGI/1.1, and otherwise
/// one function event on stdin.
public enum ServingMode: Sendable, Equatable {
    /// `AWS_LAMBDA_RUNTIME_API` names the Runtime API (`host:port`).
    case lambda(runtimeAPI: String)
    /// A listening socket to accept FastCGI connections on.
    case fastCGI(listener: Int32)
    case cgi
    case functionEvent

    public static func detect(_ environment: Environment) -> ServingMode {
        if let api = environment.nonEmpty("AWS_LAMBDA_RUNTIME_API") { return .lambda(runtimeAPI: api) }
        if let listener = socketActivated(environment) ?? listening(0) { return .fastCGI(listener: listener) }
        return environment.nonEmpty("GATEWAY_INTERFACE") == nil ? .functionEvent : .cgi
    }

    /// Whether the process serves many requests (and so keeps its PostgreSQL connection).
    public var isLongRunning: Bool {
        switch self {
        case .lambda, .fastCGI: true
        case .cgi, .functionEvent: false
        }
    }

    /// systemd socket activation: `LISTEN_FDS=1` for this process (`LISTEN_PID`), the socket is fd 3.
    private static func socketActivated(_ environment: Environment) -> Int32? {
        guard environment.nonEmpty("LISTEN_FDS") == "1", environment.nonEmpty("LISTEN_PID") == String(getpid()) else { return nil }
        return listening(3)
    }

    /// `descriptor` when it is a stream socket in the listening state (spawn-fcgi, lighttpd `bin-path`,
    /// `StandardInput=socket` put one on fd 0).
    private static func listening(_ descriptor: Int32) -> Int32? {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting != 0 else { return nil }
        return descriptor
    }
}
