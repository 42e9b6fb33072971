import Core
import Domain
import Outbound
import Interactions

/// An answer injected by `POST /_sandbox/faults` for the next `remaining` matching requests of one service: an error
/// instead of the real answer, the real effects with the answer lost (`apply`), or an answer held back (`delay_ms`).
struct Fault: Sendable {
    let service: SandboxService
    /// A substring of the decoded path; empty matches every request of the service.
    let match: String
    /// The only HTTP method the fault applies to (upper case); `nil` for every method.
    let method: String?
    /// The injected HTTP status; `nil` answers the real response (late, see `delayMs`).
    let status: Int?
    let retryAfter: Int?
    var remaining: Int
    /// Slack only: answer HTTP 200 `{"ok":false,"error":<slackError>}` instead of `status`, with Slack's `needed` and
    /// `provided` scopes when given (as for `missing_scope`).
    let slackError: String?
    let needed: String?
    let provided: String?
    /// Entra only: an `AADSTS` number (`7000215`) answered in Entra's error shape, with its `error` and status.
    let entraCode: Int?
    /// The request is first handled by the real service (its effects happen), then the injected answer replaces
    /// the real one: "applied, answer lost".
    let applies: Bool
    /// Milliseconds to wait before sending the answer.
    let delayMs: Int?

    struct Invalid: Error {
        let reason: String
    }

    init(json: JSONValue?) throws(Invalid) {
        guard let object = json?.objectValue else { throw Invalid(reason: "the body must be a JSON object") }
        guard let name = object["service"]?.stringValue, let service = SandboxService(rawValue: name), service != .control else {
            throw Invalid(reason: "service must be slack, odata or entra")
        }
        self.service = service
        self.match = object["match"]?.stringValue ?? ""
        self.method = object["method"]?.stringValue?.uppercased()
        self.slackError = object["slack_error"]?.stringValue
        if slackError != nil && service != .slack { throw Invalid(reason: "slack_error applies to the slack service only") }
        self.needed = object["needed"]?.stringValue
        self.provided = object["provided"]?.stringValue
        if (needed != nil || provided != nil) && slackError == nil { throw Invalid(reason: "needed and provided go with slack_error") }
        let entraCode = object["entra_code"]?.intValue
        self.entraCode = entraCode
        if object["entra_code"] != nil && (entraCode == nil || service != .entra) {
            throw Invalid(reason: "entra_code is an AADSTS number (7000215) for the entra service")
        }
        self.applies = object["apply"]?.boolValue ?? false
        self.delayMs = object["delay_ms"]?.intValue
        if let delayMs, !(0...600_000).contains(delayMs) { throw Invalid(reason: "delay_ms must be between 0 and 600000") }
        if object["delay_ms"] != nil && delayMs == nil { throw Invalid(reason: "delay_ms must be an integer") }
        self.status = object["status"]?.intValue ?? (slackError != nil ? 200 : entraCode.map { Self.entraErrors[$0]?.status ?? 400 })
        if let status, !(200...599).contains(status) {
            throw Invalid(reason: "status must be an HTTP status such as 429, 503, 500 or 401")
        }
        if status == nil && delayMs == nil {
            throw Invalid(reason: "status (an HTTP status such as 429, 503, 500 or 401) is required unless delay_ms is given")
        }
        self.retryAfter = object["retry_after"]?.intValue
        self.remaining = object["count"]?.intValue ?? 1
        guard remaining > 0 else { throw Invalid(reason: "count must be at least 1") }
    }

    func matches(_ service: SandboxService, method: String, path: String) -> Bool {
        self.service == service && (self.method == nil || self.method == method) && (match.isEmpty || path.contains(match))
    }

    /// Whether the real service handles the request: with `apply`, or when no status replaces its answer.
    var servesRequest: Bool { applies || status == nil }

    /// The injected answer, shaped like the real service's; `nil` when the real answer is sent.
    var response: SandboxResponse? {
        guard let status else { return nil }
        if let slackError {
            var body: JSONObject = ["ok": .bool(false), "error": .string(slackError)]
            if let needed { body["needed"] = .string(needed) }
            if let provided { body["provided"] = .string(provided) }
            return .json(.object(body))
        }
        var headers: [(name: String, value: String)] = []
        if status == 429 || retryAfter != nil { headers.append(("Retry-After", String(retryAfter ?? 1))) }
        switch service {
        case .slack:
            let error = switch status {
            case 429: "ratelimited"
            case 401: "invalid_auth"
            case 503: "service_unavailable"
            default: "internal_error"
            }
            return .json(.object(["ok": .bool(false), "error": .string(error)]), status: status, headers: headers)
        case .odata:
            if status == 401 { return ODataError.unauthorized }
            let message = switch status {
            case 429: "This request could not be processed at this time due to system experiencing high resource utilization."
            case 503: "The service is temporarily unavailable."
            default: "An error has occurred."
            }
            return ODataError.response(status: status, message: message, headers: headers)
        case .entra, .control:
            if let entraCode {
                return EntraRoutes.error(Self.entraErrors[entraCode]?.error ?? "invalid_request",
                                         "Injected by the sandbox for https://contoso-sandbox.operations.dynamics.com.",
                                         code: entraCode, status: status, headers: headers)
            }
            let error = status == 401 ? "invalid_client" : "temporarily_unavailable"
            return .json(.object(["error": .string(error), "error_description": .string("Injected by the sandbox (HTTP \(status)).")]),
                         status: status, headers: headers)
        }
    }

    /// The OAuth `error` and status Entra answers with for some AADSTS codes; others are `invalid_request`, 400.
    static let entraErrors: [Int: (error: String, status: Int)] = [
        7000215: ("invalid_client", 401), 7000222: ("invalid_client", 401), 700016: ("unauthorized_client", 400),
        90002: ("invalid_request", 400), 500011: ("invalid_resource", 400), 7000112: ("unauthorized_client", 400),
    ]
}
