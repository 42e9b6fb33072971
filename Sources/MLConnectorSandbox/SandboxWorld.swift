import Core
import Domain
import Outbound
import Interactions

/// Everything the sandbox knows, mutated by one request at a time (`SandboxState` holds it behind a lock).
struct SandboxWorld: Sendable {
    /// The configuration given on the command line, restored by a reset.
    let startupConfig: SandboxConfig
    var config: SandboxConfig
    /// `http://127.0.0.1:<port>`, known once the server is bound.
    var baseURL: String
    var entities = EntityStore.seeded()
    var tokens = TokenStore()
    var slack = SlackWorkspace()
    var faults: [Fault] = []
    /// Every request received, in order (`GET /_sandbox/requests`).
    private(set) var requests: [JSONValue] = []

    init(config: SandboxConfig, baseURL: String) {
        self.startupConfig = config
        self.config = config
        self.baseURL = baseURL
    }

    /// Back to the state at start: the seed, the startup configuration, nothing received.
    mutating func reset() {
        self = SandboxWorld(config: startupConfig, baseURL: baseURL)
    }

    /// Answers one request — with an injected fault if one matches, else from the service it is addressed to —
    /// and records it (before a delayed answer is sent: `GET /_sandbox/requests` shows a request at once).
    mutating func handle(_ request: SandboxRequest, nowMs: Int64) -> (service: SandboxService, response: SandboxResponse) {
        let path = request.path
        let service = SandboxService(path: path)
        var response: SandboxResponse
        var record: JSONObject = [
            "service": .string(service.rawValue), "method": .string(request.method), "path": .string(path),
            "query": .string(request.rawQuery),
        ]
        if let index = faults.firstIndex(where: { $0.matches(service, method: request.method, path: path) }) {
            let fault = faults[index]
            faults[index].remaining -= 1
            if faults[index].remaining == 0 { faults.remove(at: index) }
            if let injected = fault.response {
                if fault.applies { _ = serve(request, service: service, nowMs: nowMs) }
                response = injected
            } else {
                response = serve(request, service: service, nowMs: nowMs)
            }
            response.delayMs = fault.delayMs
            record["fault"] = .object([
                "injected": .bool(fault.response != nil), "applied": .bool(fault.servesRequest),
                "delay_ms": fault.delayMs.map { .number(String($0)) } ?? .null,
            ])
        } else {
            response = serve(request, service: service, nowMs: nowMs)
        }
        record["status"] = .number(String(response.status))
        record["at_ms"] = .number(String(nowMs))
        requests.append(.object(record))
        return (service, response)
    }

    /// The real service's answer.
    private mutating func serve(_ request: SandboxRequest, service: SandboxService, nowMs: Int64) -> SandboxResponse {
        switch service {
        case .entra:
            EntraRoutes(config: config, resource: baseURL + "/fo", nowMs: nowMs).respond(to: request, tokens: &tokens)
        case .odata:
            ODataRoutes(baseURL: baseURL, config: config).respond(to: request, store: &entities, tokens: tokens, nowMs: nowMs)
        case .slack:
            SlackRoutes(config: config, nowMs: nowMs).respond(to: request, workspace: &slack)
        case .control:
            ControlRoutes(nowMs: nowMs).respond(to: request, world: &self)
        }
    }
}
