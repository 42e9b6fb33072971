import Core
import Domain
import Outbound
import Interactions

/// Credentials the sandbox accepts and the behaviour settings a test may change at run time (`POST /_sandbox/config`).
struct SandboxConfig: Sendable {
    var clientID: String
    var clientSecret: String
    var botToken: String
    /// Signs the Slack interactions the control API builds (`/_sandbox/interactions`); shown on the home page for
    /// `connection add`.
    var signingSecret: String
    /// `expires_in` of issued Entra tokens, in seconds.
    var tokenLifetime: Int
    /// One `chat.postMessage` per channel per second, as Slack enforces.
    var pacing: Bool
    /// Most records in one OData response before `@odata.nextLink`.
    var pageSize: Int

    var json: JSONValue {
        .object(["token_lifetime": .number(String(tokenLifetime)), "pacing": .bool(pacing), "page_size": .number(String(pageSize))])
    }
}
