/// What a request path of `ml-connector-server` addresses (DESIGN.md §5.3): `…/events/<connection>` is
/// `handle-business-event`, `…/slack/<connection>` is `handle-slack-interaction` (any prefix before `events/` or
/// `slack/`, such as Azure Functions' `/api/`), `/healthz` the health check, anything else nothing.
public enum ServerRoute: Sendable, Equatable {
    public enum Endpoint: String, Sendable, CaseIterable {
        case events
        case slack
    }

    /// A handler endpoint; `handlerPath` is the path the handler sees — `/<connection>`, still percent-encoded, as
    /// `PATH_INFO` is behind a web server — so the connection name comes out exactly as in CGI (empty: `default`).
    case endpoint(Endpoint, handlerPath: String)
    case health
    case notFound

    public init(path: String) {
        if path == "/healthz" {
            self = .health
            return
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" { segments.removeFirst() }
        // `…/events/<connection>` (the connection may be empty: `…/events/`), or `…/events` itself.
        if segments.count >= 2, let endpoint = Endpoint(rawValue: segments[segments.count - 2]) {
            self = .endpoint(endpoint, handlerPath: "/" + segments[segments.count - 1])
        } else if let last = segments.last, let endpoint = Endpoint(rawValue: last) {
            self = .endpoint(endpoint, handlerPath: "/")
        } else {
            self = .notFound
        }
    }
}
