public import Core
public import Domain

/// Reads and workflow actions against one F&O environment's OData service (DESIGN.md §7).
///
/// A 401 invalidates the cached token and retries once with a fresh one; 429 and 503 are handed to the queue
/// with their `Retry-After`; F&O's `innererror.message` is kept in the error for the audit log and the approver.
public struct DynamicsClient {
    private let caller: OutboundCaller
    private let tokens: AccessTokenProvider
    private let baseURL: String
    /// The bucket a 429 from this environment holds back.
    private let rateKey: String

    /// `baseURL` is the environment URL without trailing slash (`https://contoso.operations.dynamics.com`).
    public init(caller: OutboundCaller, tokens: AccessTokenProvider, baseURL: String, connectionID: Int64) {
        self.caller = caller
        self.tokens = tokens
        self.baseURL = baseURL
        rateKey = RateKey.dynamics(connectionID: connectionID)
    }

    /// A keyed read: the entity, or nil when F&O answers 404.
    public func entity(_ query: ODataQuery) throws -> JSONObject? {
        let response = try get("\(baseURL)/data/\(query.relativeURL)", notFoundIsAnswer: true)
        guard response.status != 404 else { return nil }
        guard let object = try? JSONParser.parse(response.body).objectValue else {
            throw PlatformError(.retry(after: nil), "GET \(query.entitySet): response was not a JSON object", status: response.status)
        }
        return object
    }

    /// A collection read, following `@odata.nextLink` to the end.
    public func collection(_ query: ODataQuery, limit: Int = 10_000) throws -> [JSONValue] {
        var rows: [JSONValue] = []
        var url: String? = "\(baseURL)/data/\(query.relativeURL)"
        while let next = url, rows.count < limit {
            let response = try get(next, notFoundIsAnswer: false)
            guard let page = try? JSONParser.parse(response.body).objectValue, let value = page["value"]?.arrayValue else {
                throw PlatformError(.retry(after: nil), "GET \(query.entitySet): response had no value array", status: response.status)
            }
            rows += value
            url = page["@odata.nextLink"]?.stringValue
            if let link = url, !link.hasPrefix(baseURL + "/") {
                throw PlatformError(.permanent, "GET \(query.entitySet): @odata.nextLink points outside the environment")
            }
        }
        return rows
    }

    /// POSTs an unbound or collection-bound action (`WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate`).
    public func action(_ path: String, body: JSONValue, action auditAction: String) throws -> JSONValue? {
        let response = try send(method: "POST", url: "\(baseURL)/data/\(path)", body: body.serializedBytes(),
                                action: auditAction, notFoundIsAnswer: false)
        return response.body.isEmpty ? nil : try? JSONParser.parse(response.body)
    }

    /// The service's `$metadata` (CSDL XML), for `ml-connector catalog check`.
    public func metadata() throws -> [UInt8] {
        try send(method: "GET", url: "\(baseURL)/data/$metadata", body: [], action: "odata.metadata", notFoundIsAnswer: false,
                 accept: "application/xml").body
    }

    private func get(_ url: String, notFoundIsAnswer: Bool) throws -> HTTPResponse {
        try send(method: "GET", url: url, body: [], action: "odata.read", notFoundIsAnswer: notFoundIsAnswer)
    }

    private func send(method: String, url: String, body: [UInt8], action: String, notFoundIsAnswer: Bool,
                      accept: String = "application/json") throws -> HTTPResponse {
        var refreshed = false
        while true {
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer " + (try tokens.token())),
                                                            ("Accept", accept), ("OData-Version", "4.0")]
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            let response = try caller.send(HTTPRequest(method: method, url: url, headers: headers, body: body), action: action,
                                           failed: { !(200..<300).contains($0.status) && !(notFoundIsAnswer && $0.status == 404) })
            if response.status == 401 && !refreshed {
                refreshed = true
                try tokens.invalidate()
                continue
            }
            if (200..<300).contains(response.status) || (notFoundIsAnswer && response.status == 404) { return response }
            throw failure(response, method: method, path: HTTPRequest(url: url).auditTarget)
        }
    }

    /// An error answer, keeping F&O's own explanation. A 401 that survived a fresh token is retried later (the
    /// token may not have propagated yet); everything else is classified like any platform's answer.
    func failure(_ response: HTTPResponse, method: String, path: String) -> PlatformError {
        let json = try? JSONParser.parse(response.body)
        let inner = json?["error"]?["innererror"]?["message"]?.stringValue
        let outer = json?["error"]?["message"]?.stringValue
        let reason = inner ?? outer ?? "HTTP \(response.status)"
        let message = "\(method) \(path): F&O answered \(response.status): \(reason)"
        if response.status == 401 { return PlatformError(.retry(after: nil), message, status: 401, reason: reason) }
        return PlatformError(answer: response, message, reason: reason, rateKey: rateKey)
    }
}
