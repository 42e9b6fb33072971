import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over POSIX sockets for plain `http://` URLs — enough for `send-event` to reach a
/// handler behind a local web server, without FoundationNetworking.
struct LoopbackHTTPClient {
    struct Response: Sendable {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible, Sendable {
        let description: String
    }

    var timeoutSeconds = 30

    /// Whether `url` is a plain `http://` URL of this machine (127.0.0.0/8, `localhost` or `::1`).
    static func isLoopbackHTTP(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
              let host = components.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    func post(_ url: String, contentType: String, body: [UInt8]) throws(Failure) -> Response {
        try post(url, headers: [("Content-Type", contentType)], body: body)
    }

    /// POSTs `body` with `headers` (which name the content type) and reads the whole answer.
    func post(_ url: String, headers: [(name: String, value: String)], body: [UInt8]) throws(Failure) -> Response {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty else {
            throw Failure(description: "not an http:// URL: \(url)")
        }
        let port = components.port ?? 80
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let target = components.percentEncodedQuery.map { path + "?" + $0 } ?? path
        let hostHeader = (host.contains(":") ? "[\(host)]" : host) + (components.port.map { ":\($0)" } ?? "")
        let fields = headers.map { "\($0.name): \($0.value)\r\n" }.joined()
        let head = "POST \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\n" + fields
            + "Content-Length: \(body.count)\r\nUser-Agent: ml-connector-sandbox\r\nConnection: close\r\n\r\n"

        let socket = try openSocket(host: host, port: port)
        defer { close(socket) }
        try send(Array(head.utf8) + body, on: socket)
        return try Self.parse(try receiveAll(from: socket))
    }

    private func openSocket(host: String, port: Int) throws(Failure) -> Int32 {
        #if os(Linux)
        let streamType = Int32(SOCK_STREAM.rawValue)
        #else
        let streamType = SOCK_STREAM
        #endif
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = 0
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw Failure(description: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private func send(_ bytes: [UInt8], on socket: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "sending the request failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Reads until the server closes the connection (the request said `Connection: close`).
    private func receiveAll(from socket: Int32) throws(Failure) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count == 0 { return received }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "reading the response failed: \(String(cString: strerror(errno)))")
            }
            received.append(contentsOf: buffer[0..<count])
        }
    }

    private static func parse(_ bytes: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw Failure(description: "the response has no complete header")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw Failure(description: "malformed status line: \(lines[0])")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters())
        }
        var body = Array(bytes[(end + separator.count)...])
        if headers.contains(where: { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            body = try dechunk(body)
        } else if let length = headers.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }), length < body.count {
            body = Array(body[..<length])
        }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\r")), lineEnd + 1 < bytes.count else {
                throw Failure(description: "truncated chunked body")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(), radix: 16) else { throw Failure(description: "malformed chunk size") }
            index = lineEnd + 2
            if size == 0 { return output }
            guard index + size <= bytes.count else { throw Failure(description: "truncated chunked body") }
            output.append(contentsOf: bytes[index..<index + size])
            index += size + 2
        }
    }
}
