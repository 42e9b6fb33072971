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
    /// and records it.
    mutating func handle(_ request: SandboxRequest, nowMs: Int64) -> (service: SandboxService, response: SandboxResponse) {
        let path = request.path
        let service = SandboxService(path: path)
        let response: SandboxResponse
        if let index = faults.firstIndex(where: { $0.matches(service, path: path) }) {
            response = faults[index].response
            faults[index].remaining -= 1
            if faults[index].remaining == 0 { faults.remove(at: index) }
        } else {
            switch service {
            case .entra:
                response = EntraRoutes(config: config, resource: baseURL + "/fo", nowMs: nowMs).respond(to: request, tokens: &tokens)
            case .odata:
                response = ODataRoutes(baseURL: baseURL, config: config)
                    .respond(to: request, store: &entities, tokens: tokens, nowMs: nowMs)
            case .slack:
                response = SlackRoutes(config: config, nowMs: nowMs).respond(to: request, workspace: &slack)
            case .control:
                response = ControlRoutes(nowMs: nowMs).respond(to: request, world: &self)
            }
        }
        requests.append(.object([
            "service": .string(service.rawValue), "method": .string(request.method), "path": .string(path),
            "query": .string(request.rawQuery), "status": .number(String(response.status)), "at_ms": .number(String(nowMs)),
        ]))
        return (service, response)
    }
}
