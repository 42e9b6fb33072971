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
            return error("invalid_request", "The sandbox serves only POST /entra/{tenant}/oauth2/v2.0/token.", status: 404)
        }
        guard request.method == "POST" else { return error("invalid_request", "The token endpoint accepts only POST.", status: 405) }
        let form = request.formBody
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard field("grant_type") == "client_credentials" else {
            return error("unsupported_grant_type", "The sandbox supports only grant_type=client_credentials.", status: 400)
        }
        guard field("client_id") == config.clientID, field("client_secret") == config.clientSecret else {
            return error("invalid_client", "AADSTS7000215: Invalid client secret provided, or unknown client_id.", status: 401)
        }
        guard field("scope") == resource + "/.default" else {
            return error("invalid_scope", "AADSTS70011: The provided value for scope is not valid. Use '\(resource)/.default'.", status: 400)
        }
        let token = tokens.issue(audience: resource, lifetimeSeconds: config.tokenLifetime, nowMs: nowMs)
        let lifetime = JSONValue.number(String(config.tokenLifetime))
        return .json(.object([
            "token_type": .string("Bearer"), "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": .string(token),
        ]), headers: [("Cache-Control", "no-store, no-cache")])
    }

    private func error(_ code: String, _ description: String, status: Int) -> SandboxResponse {
        .json(.object(["error": .string(code), "error_description": .string(description)]), status: status)
    }
}
