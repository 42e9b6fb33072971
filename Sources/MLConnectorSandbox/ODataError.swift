import Core
import Domain
import Outbound
import Interactions

/// F&O's OData error bodies: `{"error":{"code":"","message":…,"innererror":{"message":…,"type":…,"stacktrace":""}}}`.
enum ODataError {
    static func response(status: Int, message: String, innerMessage: String? = nil,
                         type: String = "System.InvalidOperationException",
                         headers: [(name: String, value: String)] = []) -> SandboxResponse {
        let inner: JSONObject = ["message": .string(innerMessage ?? message), "type": .string(type), "stacktrace": .string("")]
        let body: JSONValue = .object(["error": .object(["code": .string(""), "message": .string(message), "innererror": .object(inner)])])
        return .json(body, status: status, headers: headers)
    }

    static let unauthorized = SandboxResponse.json(
        .object(["error": .object(["code": .string(""), "message": .string("Unauthorized")])]),
        status: 401, headers: [("WWW-Authenticate", "Bearer")]
    )

    static func noRoute(_ detail: String) -> SandboxResponse {
        response(status: 400, message: "No route data was found for this request.", innerMessage: detail)
    }

    static func notFound(_ detail: String) -> SandboxResponse {
        response(status: 404, message: "Resource not found for the segment '\(detail)'.")
    }

    static func badRequest(_ detail: String) -> SandboxResponse {
        response(status: 400, message: "An error has occurred.", innerMessage: detail,
                 type: "Microsoft.OData.ODataException")
    }

    /// F&O's answer to a `$select`, `$filter`, `$expand` or key naming a property its entity type does not have.
    static func unknownProperty(_ name: String, on set: EntitySet) -> SandboxResponse {
        let message = "Could not find a property named '\(name)' on type '\(set.qualifiedTypeName)'."
        return response(status: 400, message: message, type: "Microsoft.OData.ODataException")
    }

    static let postedReadOnly = SandboxResponse.rawJSON(SampleData.postedReadOnlyError, status: 400)
}

extension ODataError {
    /// An OData error answer thrown out of a helper.
    struct Failure: Error {
        let response: SandboxResponse
    }
}
