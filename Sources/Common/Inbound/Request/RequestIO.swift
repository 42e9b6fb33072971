import FoundationEssentials
public import Core
import Domain

/// Reads the one request a handler serves and writes its response, as CGI/1.1 (RFC 3875) when
/// `GATEWAY_INTERFACE` is set, otherwise as an HTTP API payload 2.0 function event (DESIGN.md §5).
public struct RequestIO: Sendable {
    public enum Format: Sendable, Equatable { case cgi, functionEvent }

    public let format: Format
    private let environment: Environment

    public init(environment: Environment) {
        self.environment = environment
        format = environment.nonEmpty("GATEWAY_INTERFACE") == nil ? .functionEvent : .cgi
    }

    /// Reads the request from the environment and stdin. A body over `maxBodyBytes` is not read
    /// (`bodyTooLarge`); a request that cannot be understood at all yields the response to send instead.
    public func read(maxBodyBytes: Int = InboundRequest.maxBodyBytes) -> Result<InboundRequest, RequestReadFailure> {
        switch format {
        case .cgi: readCGI(maxBodyBytes: maxBodyBytes)
        case .functionEvent: Self.parseFunctionEvent(StandardStreams.readAll(limit: Self.maxEventBytes(maxBodyBytes)),
                                                    maxBodyBytes: maxBodyBytes)
        }
    }

    public func write(_ response: InboundResponse) {
        StandardStreams.write(encode(response))
    }

    /// The bytes `write` sends for `response` in this format.
    public func encode(_ response: InboundResponse) -> [UInt8] {
        switch format {
        case .cgi:
            Self.encodeCGI(response)
        case .functionEvent:
            Self.encodeFunctionEvent(response)
        }
    }

    /// The CGI form of a response (`Status:`, headers, a blank line, the body): CGI's stdout, FastCGI's `FCGI_STDOUT`.
    public static func encodeCGI(_ response: InboundResponse) -> [UInt8] {
        var head = "Status: \(response.status) \(InboundResponse.reasonPhrase(response.status))\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        if !response.headers.contains(where: { $0.name.lowercased() == "content-type" }) && !response.body.isEmpty {
            head += "Content-Type: text/plain\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        return Array(head.utf8) + response.body
    }

    /// The `{"statusCode":…,"headers":{…},"body":"…"}` result object of a function event (also the Lambda
    /// runtime loop's `…/response` body).
    public static func encodeFunctionEvent(_ response: InboundResponse) -> [UInt8] {
        var headers = JSONObject()
        for header in response.headers { headers[header.name.lowercased()] = .string(header.value) }
        let body = String(validating: response.body, as: UTF8.self)
        var object = JSONObject()
        object["statusCode"] = .number(String(response.status))
        object["headers"] = .object(headers)
        object["body"] = .string(body ?? Data(response.body).base64EncodedString())
        object["isBase64Encoded"] = .bool(body == nil)
        return JSONValue.object(object).serializedBytes()
    }

    // MARK: CGI

    private func readCGI(maxBodyBytes: Int) -> Result<InboundRequest, RequestReadFailure> {
        CGIRequestHead.parse(environment.values, maxBodyBytes: maxBodyBytes).flatMap { head in
            head.request(body: head.bytesToRead == 0 ? [] : StandardStreams.read(count: head.bytesToRead))
        }
    }

    // MARK: Function event (HTTP API payload format 2.0)

    /// A base64 body of `maxBodyBytes` plus a generous envelope.
    static func maxEventBytes(_ maxBodyBytes: Int) -> Int { maxBodyBytes / 3 * 4 + 64 * 1024 }

    public static func parseFunctionEvent(_ bytes: [UInt8], maxBodyBytes: Int) -> Result<InboundRequest, RequestReadFailure> {
        if bytes.count > maxEventBytes(maxBodyBytes) {
            return .failure(RequestReadFailure(status: 413, message: "request too large"))
        }
        guard let event = try? JSONParser.parse(bytes).objectValue else {
            return .failure(RequestReadFailure(status: 400, message: "malformed function event"))
        }
        let http = event["requestContext"]?.objectValue?["http"]?.objectValue
        guard let method = http?["method"]?.stringValue else {
            return .failure(RequestReadFailure(status: 400, message: "function event without requestContext.http.method"))
        }
        var headers: [String: String] = [:]
        for (name, value) in event["headers"]?.objectValue ?? JSONObject() {
            if let text = value.stringValue { headers[name.lowercased()] = text }
        }
        var body: [UInt8] = []
        if let text = event["body"]?.stringValue {
            if event["isBase64Encoded"]?.boolValue == true {
                guard let data = Data(base64Encoded: text) else {
                    return .failure(RequestReadFailure(status: 400, message: "function event body is not valid base64"))
                }
                body = Array(data)
            } else {
                body = Array(text.utf8)
            }
        }
        let tooLarge = body.count > maxBodyBytes
        return .success(InboundRequest(
            method: method,
            path: event["rawPath"]?.stringValue ?? http?["path"]?.stringValue ?? "",
            rawQuery: event["rawQueryString"]?.stringValue ?? "",
            headers: headers, body: tooLarge ? [] : body, bodyTooLarge: tooLarge))
    }
}

/// A request that could not be read; answered with `status` and `{"error": message}`.
public struct RequestReadFailure: Error, Sendable {
    public let status: Int
    public let message: String

    public var response: InboundResponse { .error(status, message) }
}
