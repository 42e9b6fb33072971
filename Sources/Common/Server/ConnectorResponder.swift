import Core
import HTTPTypes
import Hummingbird
import Inbound

/// Hummingbird's entry point for `ml-connector-server` (DESIGN.md §5.3): routes by path, hands the two endpoints to
/// their handlers through `HandlerExecutor` — same checks, statuses and bodies as CGI — and answers `/healthz`.
struct ConnectorResponder: HTTPResponder {
    typealias Context = ServerRequestContext

    let executor: HandlerExecutor
    /// How long `/healthz` waits for `SELECT 1`.
    let healthLimit: Duration

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        switch ServerRoute(path: request.uri.path) {
        case .endpoint(let endpoint, let handlerPath):
            let inbound = try await InboundRequest.reading(request, path: handlerPath)
            let response = await executor.answer(endpoint, inbound)
            return inbound.bodyTooLarge ? response.hummingbird(endingConnectionOf: context.channel) : response.hummingbird
        case .health:
            guard request.method == .get || request.method == .head else {
                return InboundResponse.error(405, "method not allowed", headers: [("Allow", "GET")]).hummingbird
            }
            return await executor.databaseAnswers(within: healthLimit)
                ? InboundResponse.json(200, ["status": "ok"]).hummingbird
                : InboundResponse.json(503, ["status": "database unavailable"], headers: [("Retry-After", "5")]).hummingbird
        case .notFound:
            return InboundResponse.error(404, "not found").hummingbird
        }
    }
}
