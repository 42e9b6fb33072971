/// The stand-in a request is addressed to, by path prefix.
enum SandboxService: String, Sendable {
    case entra
    case odata
    case slack
    case control

    init(path: String) {
        if path.hasPrefix("/entra/") {
            self = .entra
        } else if path == "/fo" || path.hasPrefix("/fo/") {
            self = .odata
        } else if path.hasPrefix("/slack/") {
            self = .slack
        } else {
            self = .control
        }
    }
}
