import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `ml-connector-sandbox --port 0`, started with `posix_spawn` (output to files, never pipes) and stopped
/// with SIGTERM + `waitpid` when released. Its conveniences use the product's own `HTTPClient`.
final class SandboxProcess {
    static let clientID = "sandbox-client"
    static let clientSecret = "sandbox-secret"
    static let botToken = "xoxb-sandbox"
    static let signingSecret = "sandbox-signing-secret"

    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    private let process: BackgroundProcess
    private let client = HTTPClient()

    var dynamicsURL: String { baseURL + "/fo" }
    var entraAuthority: String { baseURL + "/entra" }
    var slackAPIURL: String { baseURL + "/slack/api" }
    var pid: pid_t { process.pid }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    init(arguments: [String] = []) throws {
        process = try BackgroundProcess(TestEnvironment.binary("ml-connector-sandbox"), arguments: ["serve", "--port", "0"] + arguments,
                                        environment: [:])
        baseURL = try process.listeningURL("ml-connector-sandbox")
    }

    /// Everything the sandbox printed on stdout so far (one `listening on` line).
    var standardOutput: String { process.standardOutput }

    /// The sandbox's request log (stderr).
    var log: String { process.standardError }

    // MARK: HTTP

    /// Sends a request to `path` (absolute URLs are sent as they are); `body` is sent verbatim.
    @discardableResult
    func send(_ method: String = "GET", _ path: String, headers: [(name: String, value: String)] = [],
              body: String = "") throws -> HTTPResponse {
        let url = path.hasPrefix("http") ? path : baseURL + path
        return try client.send(HTTPRequest(method: method, url: url, headers: headers, body: Array(body.utf8)))
    }

    /// A JSON request to the control API or the Slack/OData stand-ins.
    @discardableResult
    func sendJSON(_ method: String = "POST", _ path: String, _ json: String,
                  headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
        try send(method, path, headers: [("Content-Type", "application/json")] + headers, body: json)
    }

    func tokenResponse(clientSecret: String = clientSecret, scope: String? = nil, grantType: String = "client_credentials") throws -> HTTPResponse {
        let form = [("grant_type", grantType), ("client_id", Self.clientID), ("client_secret", clientSecret),
                    ("scope", scope ?? dynamicsURL + "/.default")]
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return try send("POST", "/entra/sandbox-tenant/oauth2/v2.0/token",
                        headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    /// A fresh access token for the sandbox's F&O.
    func token() throws -> String {
        let response = try tokenResponse()
        guard response.status == 200, let token = try Self.object(response)["access_token"] as? String else {
            throw StartFailure(description: "no token: HTTP \(response.status)")
        }
        return token
    }

    /// An OData request for `resource` under `/fo/data/`, with a bearer token unless `token` is `nil`.
    func odata(_ resource: String, method: String = "GET", token: String?, body: String = "") throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
        return try send(method, "/fo/data/" + resource, headers: headers, body: body)
    }

    /// A Slack Web API call with a JSON body.
    func slack(_ method: String, _ json: String, token: String = botToken) throws -> HTTPResponse {
        try sendJSON("POST", "/slack/api/" + method, json, headers: [("Authorization", "Bearer \(token)")])
    }

    // MARK: Control API

    func messages() throws -> [[String: Any]] {
        try Self.object(send("GET", "/_sandbox/messages"))["messages"] as? [[String: Any]] ?? []
    }

    func requests() throws -> [[String: Any]] {
        try Self.object(send("GET", "/_sandbox/requests"))["requests"] as? [[String: Any]] ?? []
    }

    func fault(service: String, match: String? = nil, status: Int? = nil, retryAfter: Int? = nil, count: Int = 1,
               slackError: String? = nil, needed: String? = nil, entraCode: Int? = nil) throws {
        var fault: [String: Any] = ["service": service, "count": count]
        fault["match"] = match
        fault["status"] = status
        fault["retry_after"] = retryAfter
        fault["slack_error"] = slackError
        fault["needed"] = needed
        fault["provided"] = needed.map { _ in "chat:write,users:read" }
        fault["entra_code"] = entraCode
        try expectOK(sendJSON("POST", "/_sandbox/faults", Self.json(fault)))
    }

    func config(tokenLifetime: Int? = nil, pacing: Bool? = nil, pageSize: Int? = nil) throws {
        var settings: [String: Any] = [:]
        settings["token_lifetime"] = tokenLifetime
        settings["pacing"] = pacing
        settings["page_size"] = pageSize
        try expectOK(sendJSON("POST", "/_sandbox/config", Self.json(settings)))
    }

    /// Upserts an entity given as JSON text (so amounts keep every digit).
    func putEntity(_ set: String, _ json: String) throws {
        try expectOK(sendJSON("PUT", "/_sandbox/odata/\(set)", json))
    }

    func reset() throws {
        try expectOK(send("POST", "/_sandbox/reset"))
    }

    // MARK: Slack interactions

    /// A click on the button `actionID` of the message `ts` in `channel`, as Slack sends it to the interaction
    /// handler: headers (`Content-Type`, `X-Slack-Request-Timestamp`, `X-Slack-Signature`), the form body
    /// `payload=…` and the trigger id it carries (valid 3 s for `views.open`).
    func interaction(channel: String, ts: String, actionID: String, user: String = "U04ALICIA",
                     timestampOffset: Int = 0) throws -> (headers: [String: String], body: [UInt8], triggerID: String) {
        let answer = try signedInteraction("/_sandbox/interactions", [
            "channel": channel, "ts": ts, "action_id": actionID, "user": user, "timestamp_offset": timestampOffset,
        ])
        return (answer.headers, answer.body, answer.object["trigger_id"] as? String ?? "")
    }

    /// A submission of the modal `viewID` (default: the latest one opened) with `text` in its first input block, or
    /// with `values` (`{block_id: {action_id: text}}`; a user picker takes a user id).
    func submission(viewID: String? = nil, text: String? = nil, values: [String: [String: String]]? = nil,
                    user: String = "U04ALICIA") throws -> (headers: [String: String], body: [UInt8]) {
        var parameters: [String: Any] = ["user": user]
        parameters["view_id"] = viewID
        parameters["text"] = text
        parameters["values"] = values
        let answer = try signedInteraction("/_sandbox/interactions/submission", parameters)
        return (answer.headers, answer.body)
    }

    /// The Events API `event_callback` Slack sends when `user` opens the app's `tab` (`home` or `messages`), signed:
    /// headers, the JSON body and its `event_id` (given, for a repeated delivery, or fresh).
    func appHomeOpened(user: String, tab: String = "home", eventID: String? = nil) throws
        -> (headers: [String: String], body: [UInt8], triggerID: String, eventID: String) {
        var parameters: [String: Any] = ["user": user, "tab": tab]
        parameters["event_id"] = eventID
        let answer = try signedInteraction("/_sandbox/events/app_home_opened", parameters)
        return (answer.headers, answer.body, "", answer.object["event_id"] as? String ?? "")
    }

    /// The App Home last published for `user` (`views.publish`): its view (nil before any) and how many times.
    func home(user: String) throws -> (view: [String: Any]?, publications: Int) {
        let response = try send("GET", "/_sandbox/home/\(user)")
        try expectOK(response)
        let object = try Self.object(response)
        return (object["view"] as? [String: Any], object["publications"] as? Int ?? 0)
    }

    /// The JSON of an interaction body `payload=<percent-encoded JSON>`.
    static func payload(_ body: [UInt8]) throws -> JSONValue {
        let fields = FormURLEncoding.parse(String(decoding: body, as: UTF8.self))
        guard fields.count == 1, fields[0].name == "payload" else {
            throw StartFailure(description: "not a payload=… form: \(String(decoding: body, as: UTF8.self))")
        }
        return try JSONParser.parse(fields[0].value.utf8)
    }

    private func signedInteraction(_ path: String, _ parameters: [String: Any]) throws
        -> (headers: [String: String], body: [UInt8], object: [String: Any]) {
        let response = try sendJSON("POST", path, Self.json(parameters))
        try expectOK(response)
        let object = try Self.object(response)
        let headers = object["headers"] as? [String: String] ?? [:]
        return (headers, Array((object["body"] as? String ?? "").utf8), object)
    }

    private func expectOK(_ response: HTTPResponse) throws {
        guard response.status == 200 else {
            throw StartFailure(description: "control API answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    // MARK: JSON

    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
