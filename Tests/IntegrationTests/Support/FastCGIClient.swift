import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small FastCGI 1.0 client written from the specification for the tests, independent of the product's parser:
/// it speaks to a handler's socket as nginx would (`FCGI_BEGIN_REQUEST`, `FCGI_PARAMS`, `FCGI_STDIN`) and collects
/// `FCGI_STDOUT` up to `FCGI_END_REQUEST`.
final class FastCGIClient {
    struct Record: Equatable {
        let type: UInt8
        let requestID: UInt16
        let content: [UInt8]
    }

    struct Reply {
        let stdout: [UInt8]
        let protocolStatus: UInt8
        /// The STDOUT records' sizes, to check none exceeds 65535.
        let recordSizes: [Int]
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, timeoutSeconds: Int = 20) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(errno)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    // MARK: Encoding

    static func record(_ type: UInt8, _ id: UInt16, _ content: [UInt8] = []) -> [UInt8] {
        precondition(content.count <= 65535)
        return [1, type, UInt8(id >> 8), UInt8(id & 0xff), UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }

    static func begin(_ id: UInt16, role: UInt16 = 1, keep: Bool) -> [UInt8] {
        record(1, id, [UInt8(role >> 8), UInt8(role & 0xff), keep ? 1 : 0, 0, 0, 0, 0, 0])
    }

    static func pairs(_ pairs: [(String, String)]) -> [UInt8] {
        func length(_ n: Int) -> [UInt8] { n < 128 ? [UInt8(n)] : [UInt8(0x80 | n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
        return pairs.flatMap { length($0.0.utf8.count) + length($0.1.utf8.count) + Array($0.0.utf8) + Array($0.1.utf8) }
    }

    /// A stream of `type` (PARAMS, STDIN) in records of `chunk` bytes, ended by the empty record.
    static func stream(_ type: UInt8, _ id: UInt16, _ bytes: [UInt8], chunk: Int = 65535) -> [UInt8] {
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            output += record(type, id, Array(bytes[start..<end]))
            start = end
        }
        return output + record(type, id)
    }

    /// The CGI variables nginx's `fastcgi_params` would send for this request.
    static func cgiParams(method: String, path: String, query: String, headers: [String: String], bodyLength: Int?) -> [(String, String)] {
        var params = [("GATEWAY_INTERFACE", "CGI/1.1"), ("SERVER_PROTOCOL", "HTTP/1.1"), ("REQUEST_METHOD", method),
                      ("PATH_INFO", path), ("QUERY_STRING", query), ("SCRIPT_NAME", "")]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if name.lowercased() == "content-type" { params.append(("CONTENT_TYPE", value)) } else {
                params.append(("HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_"), value))
            }
        }
        if let bodyLength { params.append(("CONTENT_LENGTH", String(bodyLength))) }
        return params
    }

    /// The records of one whole request.
    static func request(_ id: UInt16, keep: Bool, params: [(String, String)], body: [UInt8]) -> [UInt8] {
        begin(id, keep: keep) + stream(4, id, pairs(params)) + stream(5, id, body)
    }

    // MARK: I/O

    func send(_ bytes: [UInt8]) throws {
        try send(bytes, untilAnswered: false)
    }

    /// Sends `bytes`; with `untilAnswered`, stops as soon as the handler has answered or closed (an early 413 never
    /// reads the rest of the body, and its answer must be read before the connection's reset could drop it).
    func send(_ bytes: [UInt8], untilAnswered: Bool) throws {
        var written = 0
        while written < bytes.count {
            if untilAnswered {
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                if poll(&entry, 1, 0) > 0 { return }
            }
            let chunk = min(bytes.count - written, untilAnswered ? 16384 : bytes.count - written)
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + written, chunk, Int32(MSG_NOSIGNAL)) }
            if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else if untilAnswered && (errno == EPIPE || errno == ECONNRESET) {
                return
            } else {
                throw Failure(description: "send: \(errno)")
            }
        }
    }

    /// The next record, or nil when the handler closed the connection.
    func readRecord() throws -> Record? {
        while true {
            if buffer.count >= 8 {
                let length = Int(buffer[4]) << 8 | Int(buffer[5]), padding = Int(buffer[6])
                if buffer.count >= 8 + length + padding {
                    let record = Record(type: buffer[1], requestID: UInt16(buffer[2]) << 8 | UInt16(buffer[3]),
                                        content: Array(buffer[8..<8 + length]))
                    buffer.removeFirst(8 + length + padding)
                    return record
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if n > 0 { buffer += chunk[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            if n == 0 || errno == ECONNRESET {
                guard buffer.isEmpty else { throw Failure(description: "connection closed inside a record") }
                return nil
            }
            throw Failure(description: "recv: \(errno) (timed out?)")
        }
    }

    /// STDOUT up to FCGI_END_REQUEST for `id`.
    func readReply(_ id: UInt16) throws -> Reply {
        var stdout: [UInt8] = [], sizes: [Int] = []
        while let record = try readRecord() {
            guard record.requestID == id else { throw Failure(description: "record for request \(record.requestID)") }
            switch record.type {
            case 6: stdout += record.content; sizes.append(record.content.count)
            case 3: return Reply(stdout: stdout, protocolStatus: record.content.count > 4 ? record.content[4] : 255, recordSizes: sizes)
            default: continue
            }
        }
        throw Failure(description: "connection closed before FCGI_END_REQUEST")
    }

    /// Whether the handler has closed the connection (waits up to `seconds` for the end).
    func isClosed(within seconds: Double = 5) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(seconds * 1000)) > 0 else { return false }
        var byte: UInt8 = 0
        let n = recv(descriptor, &byte, 1, Int32(MSG_PEEK))
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    /// One request, answered: the reply parsed as the CGI response it carries.
    func exchange(_ id: UInt16 = 1, keep: Bool, method: String = "POST", path: String, query: String = "",
                  headers: [String: String] = ["content-type": "application/json"], body: [UInt8] = [],
                  declaredLength: Int? = nil) throws -> HandlerResponse {
        try send(Self.request(id, keep: keep, params: Self.cgiParams(method: method, path: path, query: query, headers: headers,
                                                                      bodyLength: declaredLength ?? (body.isEmpty ? nil : body.count)),
                              body: body), untilAnswered: true)
        let reply = try readReply(id)
        guard reply.protocolStatus == 0 else { throw Failure(description: "protocol status \(reply.protocolStatus)") }
        return try HandlerInvocation.parse(.cgi, ProcessResult(status: 0, stdout: reply.stdout, stderr: ""))
    }
}
