import Foundation
import HTTPTypes
import Hummingbird

/// Hummingbird's entry point: reads the whole request, lets `SandboxState` answer it (then, outside the state's lock,
/// waits out a delayed answer and sends what the answer delivers), logs one line to stderr.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Bodies above this are refused; the connector's requests are a few kilobytes.
    static let maxBodyBytes = 8 << 20

    let state: SandboxState

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let body = try await request.collectBody(upTo: Self.maxBodyBytes)
        let sandboxRequest = SandboxRequest(
            method: request.method.rawValue,
            rawPath: request.uri.path,
            rawQuery: request.uri.query ?? "",
            headers: request.headers.map { ($0.name.canonicalName, $0.value) },
            body: Array(body.readableBytesView)
        )
        let service: String
        var answer: SandboxResponse
        if LambdaRuntimeRoutes.serves(sandboxRequest.path) {
            service = "lambda"
            answer = await LambdaRuntimeRoutes(api: state.lambda).respond(to: sandboxRequest, nowMs: SandboxState.nowMs())
        } else {
            let (addressed, immediate) = state.handle(sandboxRequest)
            service = addressed.rawValue
            if let delayMs = immediate.delayMs { try await Task.sleep(for: .milliseconds(delayMs)) }
            answer = immediate
            if let delivery = immediate.delivery { answer = await delivery.perform() }
        }
        log(sandboxRequest, service: service, status: answer.status, elapsed: ContinuousClock.now - started)

        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status, reasonPhrase: Self.reasonPhrase(answer.status)),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    private func log(_ request: SandboxRequest, service: String, status: Int, elapsed: Duration) {
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let target = request.rawQuery.isEmpty ? request.path : request.path + "?" + request.rawQuery
        let line = "\(Date().ISO8601Format()) \(service) \(request.method) \(target) \(status) "
            + String(format: "%.1fms", milliseconds) + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}
