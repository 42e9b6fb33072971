import Foundation

/// One HTTP exchange with a handler binary, as CGI or as a function event, and the parsed answer.
struct HandlerResponse {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]
    let exitStatus: Int32
    let stderr: String

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

    func int(_ key: String) -> Int? { (json?[key] as? NSNumber)?.intValue }
}

enum RequestFormat: String, CaseIterable, Sendable {
    case cgi, functionEvent
}

struct HandlerInvocation {
    let binary: String
    let databaseURL: String
    var extraEnvironment: [String: String] = [:]

    func send(_ format: RequestFormat, method: String = "POST", path: String, query: String = "",
              headers: [String: String] = ["content-type": "application/json"], body: [UInt8] = [],
              declaredLength: Int? = nil, cgiOverrides: [String: String?] = [:]) throws -> HandlerResponse {
        var env = extraEnvironment
        env["MLC_DATABASE_URL"] = databaseURL
        env["MLC_LOG_LEVEL"] = env["MLC_LOG_LEVEL"] ?? "error"
        let stdin: [UInt8]
        switch format {
        case .cgi:
            env["GATEWAY_INTERFACE"] = "CGI/1.1"
            env["SERVER_PROTOCOL"] = "HTTP/1.1"
            env["REQUEST_METHOD"] = method
            env["PATH_INFO"] = path
            env["QUERY_STRING"] = query
            for (name, value) in headers {
                switch name.lowercased() {
                case "content-type": env["CONTENT_TYPE"] = value
                default: env["HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")] = value
                }
            }
            if !body.isEmpty || declaredLength != nil { env["CONTENT_LENGTH"] = String(declaredLength ?? body.count) }
            stdin = body
        case .functionEvent:
            stdin = try Self.functionEvent(method: method, path: path, query: query, headers: headers, body: body)
        }
        for (name, value) in cgiOverrides { env[name] = value }
        let result = try ProcessRunner.run(binary, environment: env, stdin: stdin)
        return try Self.parse(format, result)
    }

    /// The HTTP API payload 2.0 event of a request, as a function URL sends it (the body base64-encoded).
    static func functionEvent(method: String, path: String, query: String, headers: [String: String],
                              body: [UInt8]) throws -> [UInt8] {
        let event: [String: Any] = [
            "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
            "headers": headers, "isBase64Encoded": true, "body": Data(body).base64EncodedString(),
            "requestContext": ["http": ["method": method, "path": path, "protocol": "HTTP/1.1",
                                        "sourceIp": "127.0.0.1", "userAgent": "test"]],
        ]
        return Array(try JSONSerialization.data(withJSONObject: event))
    }

    static func parse(_ format: RequestFormat, _ result: ProcessResult) throws -> HandlerResponse {
        switch format {
        case .cgi:
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard let split = result.stdout.firstRange(of: separator) else {
                throw UnexpectedOutput(text: result.stdoutText + result.stderr)
            }
            let head = String(decoding: result.stdout[..<split.lowerBound], as: UTF8.self)
            var headers: [String: String] = [:]
            for line in head.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let status = Int(headers["status"]?.prefix(3) ?? "") ?? 0
            return HandlerResponse(status: status, headers: headers, body: Array(result.stdout[split.upperBound...]),
                                   exitStatus: result.status, stderr: result.stderr)
        case .functionEvent:
            guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any],
                  let status = object["statusCode"] as? Int
            else { throw UnexpectedOutput(text: result.stdoutText + result.stderr) }
            var headers: [String: String] = [:]
            for (name, value) in object["headers"] as? [String: String] ?? [:] { headers[name.lowercased()] = value }
            var body = Array((object["body"] as? String ?? "").utf8)
            if object["isBase64Encoded"] as? Bool == true, let data = Data(base64Encoded: String(decoding: body, as: UTF8.self)) {
                body = Array(data)
            }
            return HandlerResponse(status: status, headers: headers, body: body, exitStatus: result.status, stderr: result.stderr)
        }
    }
}

struct UnexpectedOutput: Error, CustomStringConvertible {
    let text: String
    var description: String { "unexpected handler output: \(text.prefix(500))" }
}
