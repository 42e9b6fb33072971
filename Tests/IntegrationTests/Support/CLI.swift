import Foundation

/// Runs the operator CLI against a test database with the test master key and the given extra variables.
struct CLI {
    let databaseURL: String

    static let secrets: [String: String] = [
        "MLC_DYNAMICS_CLIENT_SECRET": "dyn-secret-Zq8vW3",
        "MLC_SLACK_BOT_TOKEN": "xoxb-test-token-77aa",
        "MLC_SLACK_SIGNING_SECRET": "signing-secret-5e1f",
    ]

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var env = environment
        env["MLC_DATABASE_URL"] = env["MLC_DATABASE_URL"] ?? databaseURL
        env["MLC_MASTER_KEY"] = env["MLC_MASTER_KEY"] ?? TestEnvironment.masterKey
        return try ProcessRunner.run(TestEnvironment.binary("ml-connector"), arguments: arguments, environment: env)
    }

    /// Adds a connection with a known event key and the test secrets; returns the CLI result.
    @discardableResult
    func addConnection(_ name: String, eventKey: String? = "test-event-key-0123456789",
                       dynamicsURL: String = "http://127.0.0.1:9/") throws -> ProcessResult {
        var env = Self.secrets
        env["MLC_EVENT_KEY"] = eventKey
        return try run(["connection", "add", name, "--dynamics-url", dynamicsURL, "--tenant-id", "tenant-1",
                        "--client-id", "client-1", "--entra-authority", "http://127.0.0.1:9",
                        "--slack-api-url", "http://127.0.0.1:9/api"], environment: env)
    }
}
