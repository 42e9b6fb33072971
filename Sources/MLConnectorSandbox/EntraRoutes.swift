import Core
import Domain
import Outbound
import Interactions

/// The Microsoft Entra ID token endpoint, `POST /entra/{tenant}/oauth2/v2.0/token`, client credentials flow only.
struct EntraRoutes {
    let config: SandboxConfig
    /// The only resource tokens are issued for: the sandbox's F&O URL (`<base>/fo`).
    let resource: String
    let nowMs: Int64

    func respond(to request: SandboxRequest, tokens: inout TokenStore) -> SandboxResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 6, segments[1] == "entra", !segments[2].isEmpty,
              segments[3...] == ["oauth2", "v2.0", "token"] else {
            return Self.error("invalid_request", "The sandbox serves only POST /entra/{tenant}/oauth2/v2.0/token.", status: 404)
        }
        guard request.method == "POST" else { return Self.error("invalid_request", "The token endpoint accepts only POST.", status: 405) }
        let form = request.formBody
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard field("grant_type") == "client_credentials" else {
            return Self.error("unsupported_grant_type", "The sandbox supports only grant_type=client_credentials.", status: 400)
        }
        guard field("client_id") == config.clientID, field("client_secret") == config.clientSecret else {
            return Self.error("invalid_client", "Invalid client secret provided, or unknown client_id.", code: 7000215, status: 401)
        }
        guard field("scope") == resource + "/.default" else {
            return Self.error("invalid_scope", "The provided value for scope is not valid. Use '\(resource)/.default'.", code: 70011, status: 400)
        }
        let token = tokens.issue(audience: resource, lifetimeSeconds: config.tokenLifetime, nowMs: nowMs)
        let lifetime = JSONValue.number(String(config.tokenLifetime))
        return .json(.object([
            "token_type": .string("Bearer"), "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": .string(token),
        ]), headers: [("Cache-Control", "no-store, no-cache")])
    }

    /// An error shaped like Entra's: `error`, `error_description` starting with `AADSTS<code>:`, `error_codes`, and
    /// the trace fields.
    static func error(_ error: String, _ description: String, code: Int? = nil, status: Int,
                      headers: [(name: String, value: String)] = []) -> SandboxResponse {
        var body: JSONObject = ["error": .string(error),
                                "error_description": .string((code.map { "AADSTS\($0): " } ?? "") + description
                                    + " Trace ID: 00000000-0000-4000-8000-000000000000 Timestamp: 2026-01-01 00:00:00Z")]
        if let code {
            body["error_codes"] = .array([.number(String(code))])
            body["error_uri"] = .string("https://login.microsoftonline.com/error?code=\(code)")
        }
        body["trace_id"] = .string("00000000-0000-4000-8000-000000000000")
        return .json(.object(body), status: status, headers: headers)
    }
}
