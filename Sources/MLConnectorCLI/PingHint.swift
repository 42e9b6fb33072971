import Core
import Outbound

/// What `ping` suggests when a check fails: from the platform's own error code (Entra's `AADSTS…`, Slack's `error`)
/// or, without one, from the HTTP status or the absence of an answer. Hints name settings and F&O, Entra and Slack
/// pages, never a secret or a host.
enum PingHint {
    /// The checks `ping` makes, in order.
    enum Check: String, CaseIterable {
        case entra = "Entra ID token"
        case odata = "F&O OData read"
        case slack = "Slack auth.test"
        case catalog = "catalog check"
    }

    /// The catalog check found names the environment's `$metadata` lacks (listed after the checks).
    struct CatalogNamesMissing: Error, CustomStringConvertible {
        let description: String
    }

    /// Entra ID token endpoint error codes (learn.microsoft.com, "Microsoft Entra authentication and authorization
    /// error codes").
    static let entraCodes: [String: String] = [
        "AADSTS7000215": "invalid client secret: store the secret's Value (not its Secret ID) from the app registration's "
            + "Certificates & secrets with `ml-connector connection update` (MLC_DYNAMICS_CLIENT_SECRET)",
        "AADSTS7000222": "the client secret has expired: create a new one under the app registration's Certificates & "
            + "secrets and store it with `ml-connector connection update` (MLC_DYNAMICS_CLIENT_SECRET)",
        "AADSTS700016": "no application with this client id in the tenant: check --client-id and --tenant-id (the app "
            + "may be registered in another tenant)",
        "AADSTS90002": "tenant not found: check --tenant-id (the directory id, or a verified domain) and --entra-authority",
        "AADSTS900023": "the tenant id is not a valid GUID or domain: check --tenant-id",
        "AADSTS500011": "resource principal not found: --dynamics-url does not name an F&O environment of this tenant "
            + "(it must be the environment's base URL, https://<environment>.operations.dynamics.com)",
        "AADSTS70011": "invalid scope: --dynamics-url must be the environment's base URL without a path",
        "AADSTS7000112": "the application is disabled in the tenant: an Entra administrator must enable it",
        "AADSTS50034": "the account does not exist in this directory: --tenant-id names another directory than the app's",
        "AADSTS53003": "blocked by a Conditional Access policy for workload identities: an Entra administrator must allow "
            + "this application",
    ]

    /// Slack Web API `error` codes of `auth.test` (docs.slack.dev, auth.test and "Web API basics").
    static let slackCodes: [String: String] = [
        "invalid_auth": "the bot token is not valid: store the app's Bot User OAuth Token (xoxb-…, OAuth & Permissions) "
            + "with `ml-connector connection update` (MLC_SLACK_BOT_TOKEN)",
        "not_authed": "no token was sent: store the bot token with `ml-connector connection update` (MLC_SLACK_BOT_TOKEN)",
        "account_inactive": "the token belongs to a deactivated app or a deleted user: reinstall the app and store the "
            + "new bot token",
        "token_revoked": "the token was revoked (the app was uninstalled or its tokens revoked): reinstall the app to the "
            + "workspace and store the new bot token",
        "token_expired": "the token has expired (token rotation is on): turn token rotation off for this app, reinstall "
            + "it and store the new bot token",
        "missing_scope": "the app lacks a scope: add it under OAuth & Permissions → Bot Token Scopes (or create the app "
            + "from `ml-connector slack manifest`), reinstall the app and store the new bot token",
        "ratelimited": "Slack is rate limiting this app: wait a minute and ping again",
    ]

    /// The hint for a failed check, or nil when there is nothing to add to the error.
    static func hint(_ check: Check, _ error: any Error) -> String? {
        if error is PostgresError {
            return "PostgreSQL failed during the check: is the server up, and has `ml-connector migrate` run?"
        }
        if error is CatalogNamesMissing {
            return "fix the catalog overrides (`ml-connector connection catalog NAME --file`) and run `ml-connector catalog check NAME`"
        }
        guard let error = error as? PlatformError else { return nil }
        switch check {
        case .entra: return entra(error)
        case .odata: return odata(error)
        case .slack: return slack(error)
        case .catalog: return nil
        }
    }

    private static func entra(_ error: PlatformError) -> String? {
        if let code = error.code {
            return "\(code): " + (entraCodes[code] ?? "see https://login.microsoftonline.com/error?code=\(code.dropFirst(6))")
        }
        return common(error, service: "Entra ID", setting: "--entra-authority")
            ?? (error.status.map { (400..<500).contains($0) } == true ? "check --tenant-id, --client-id and the client secret" : nil)
    }

    private static func odata(_ error: PlatformError) -> String? {
        switch error.status {
        case 401?:
            return "F&O refused a fresh token: register the client id on F&O's Microsoft Entra ID applications page "
                + "(System administration > Setup, form SysAADClientTable) with an enabled F&O user; if it is there, "
                + "that user may be disabled"
        case 403?:
            return "the F&O user mapped to the client id may not read this entity: give it a role that can "
                + "(System administration > Users)"
        case 404?:
            return "--dynamics-url is wrong: it must be the environment's base URL, "
                + "https://<environment>.operations.dynamics.com, without /data or another path"
        default:
            return common(error, service: "F&O", setting: "--dynamics-url")
        }
    }

    private static func slack(_ error: PlatformError) -> String? {
        if error.code == "missing_scope", let needed = error.neededScope {
            return "the app lacks the \(needed) scope: add it under OAuth & Permissions → Bot Token Scopes (or create the "
                + "app from `ml-connector slack manifest`), reinstall the app and store the new bot token"
        }
        if let code = error.code, let hint = slackCodes[code] { return hint }
        return common(error, service: "Slack", setting: "--slack-api-url")
    }

    /// No answer (a transport failure, retryable), 429 and 5xx: the same for every platform.
    private static func common(_ error: PlatformError, service: String, setting: String) -> String? {
        guard let status = error.status else {
            guard error.disposition != .permanent else { return nil }
            return "\(service) could not be reached: check \(setting), DNS, the proxy and the firewall"
        }
        if status == 429 || status >= 500 { return "\(service) is busy or unavailable (HTTP \(status)): ping again later" }
        return nil
    }
}
