import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests.
///
/// One thread accepts; each connection gets its own thread and is kept alive until the client closes it. Every
/// request (request line, headers, `Content-Length` body) is recorded, then answered with whatever `handler`
/// returns, optionally after a delay. Call `stop()` at the end of each test: it closes the listening socket, wakes
/// and joins every thread, and closes every connection.
///
/// `@unchecked Sendable`: all mutable state is guarded by `condition`.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        /// As received: original case and order.
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        /// The first header called `name`, case-insensitively.
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// Waited before anything is sent (cut short by `stop()`).
        var delay: Duration
        /// Send no `Content-Length`; end the body by closing the connection.
        var closeToEndBody: Bool
        /// If set, a `100 Continue` interim response with these headers precedes the real one.
        var interimHeaders: [(name: String, value: String)]?

        init(
            status: Int = 200,
            headers: [(name: String, value: String)] = [],
            body: [UInt8] = [],
            delay: Duration = .zero,
            closeToEndBody: Bool = false,
            interimHeaders: [(name: String, value: String)]? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.closeToEndBody = closeToEndBody
            self.interimHeaders = interimHeaders
        }
    }

    struct SocketError: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call) failed: errno \(code)" }
    }

    typealias Handler = @Sendable (Request) -> Response

    let port: UInt16
    private let listener: Int32
    private let handler: Handler

    private let condition = NSCondition()
    private var stopped = false
    private var acceptedConnections = 0
    private var receivedRequests: [Request] = []
    private var openConnections: Set<Int32> = []
    private var runningThreads = 0

    init(handler: @escaping Handler = { _ in Response() }) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SocketError(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(INADDR_LOOPBACK).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(listener)
            throw SocketError(call: "bind/listen", code: code)
        }
        self.listener = listener
        self.port = UInt16(bigEndian: address.sin_port)
        self.handler = handler

        runningThreads = 1
        Thread { [self] in acceptLoop() }.start()
    }

    /// Connections accepted so far.
    var connectionCount: Int { locked { acceptedConnections } }

    /// Requests received so far, in arrival order.
    var requests: [Request] { locked { receivedRequests } }

    func stop() {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept()
        for connection in openConnections { shutdown(connection, Int32(SHUT_RDWR)) }  // wakes blocked recv()s
        condition.broadcast()  // wakes delayed responses
        while runningThreads > 0 { condition.wait() }
        close(listener)
    }

    // MARK: - Threads

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 && errno == EINTR { continue }
            guard connection >= 0, register(connection) else { break }
            Thread { [self] in
                serve(connection)
                unregister(connection)
            }.start()
        }
        locked {
            runningThreads -= 1
            condition.broadcast()
        }
    }

    /// Counts the connection and its thread, unless the server is stopping (then it closes the connection).
    private func register(_ connection: Int32) -> Bool {
        locked {
            guard !stopped else {
                close(connection)
                return false
            }
            acceptedConnections += 1
            openConnections.insert(connection)
            runningThreads += 1
            return true
        }
    }

    /// Closes under the lock, so `stop()` can never shut down a reused descriptor.
    private func unregister(_ connection: Int32) {
        locked {
            openConnections.remove(connection)
            close(connection)
            runningThreads -= 1
            condition.broadcast()
        }
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        while let request = readRequest(connection, buffer: &buffer) {
            locked { receivedRequests.append(request) }
            let response = handler(request)
            guard waitUnlessStopped(response.delay) else { return }
            let keepAlive = !response.closeToEndBody && request.header("connection")?.lowercased() != "close"
            guard sendAll(connection, serialize(response)), keepAlive else { return }
        }
    }

    /// `false` if the server was stopped while waiting.
    private func waitUnlessStopped(_ delay: Duration) -> Bool {
        let (seconds, attoseconds) = delay.components
        let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
        return locked {
            while !stopped && condition.wait(until: deadline) {}
            return !stopped
        }
    }

    // MARK: - HTTP/1.1

    private static let headerTerminator: [UInt8] = Array("\r\n\r\n".utf8)

    private func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> Request? {
        var headEnd = buffer.firstRange(of: Self.headerTerminator)
        while headEnd == nil {
            guard receive(connection, into: &buffer) else { return nil }
            headEnd = buffer.firstRange(of: Self.headerTerminator)
        }
        guard let headEnd else { return nil }

        let head = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        var request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [])

        let bodyLength = Int(request.header("content-length") ?? "0") ?? 0
        let bodyStart = headEnd.upperBound
        while buffer.count - bodyStart < bodyLength {
            guard receive(connection, into: &buffer) else { return nil }
        }
        request.body = Array(buffer[bodyStart..<bodyStart + bodyLength])
        buffer.removeFirst(bodyStart + bodyLength)
        return request
    }

    private func serialize(_ response: Response) -> [UInt8] {
        var head = ""
        if let interim = response.interimHeaders {
            head += "HTTP/1.1 100 Continue\r\n"
            for header in interim { head += "\(header.name): \(header.value)\r\n" }
            head += "\r\n"
        }
        head += "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        head += response.closeToEndBody ? "Connection: close\r\n" : "Content-Length: \(response.body.count)\r\n"
        head += "\r\n"
        return Array(head.utf8) + response.body
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }

    // MARK: - Sockets

    /// Appends what one `recv` returns; `false` on end of stream or error.
    private func receive(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}
