import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `ml-connector-sandbox serve`: listens on 127.0.0.1 until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on
        case off
    }

    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Entra ID (/entra), F&O OData (/fo) and the Slack Web API (/slack/api) on 127.0.0.1; GET / lists everything."
    )

    @Option(help: "TCP port on 127.0.0.1; 0 picks a free one.")
    var port = 8090

    @Option(help: "Entra client id accepted by the token endpoint.")
    var clientID = "sandbox-client"

    @Option(help: "Entra client secret accepted by the token endpoint.")
    var clientSecret = "sandbox-secret"

    @Option(help: "Slack bot token accepted by the Web API.")
    var botToken = "xoxb-sandbox"

    @Option(help: "Slack signing secret: signs the interactions the sandbox sends; configure the same in ml-connector.")
    var signingSecret = "sandbox-signing-secret"

    @Option(help: "Lifetime of issued access tokens, in seconds.")
    var tokenLifetime = 3599

    @Option(help: "Slack pacing: one chat.postMessage per channel per second.")
    var pacing = Switch.on

    @Option(help: "Most records in one OData response before @odata.nextLink.")
    var pageSize = 1000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive") }
        guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
    }

    func run() async throws {
        let config = SandboxConfig(
            clientID: clientID, clientSecret: clientSecret, botToken: botToken, signingSecret: signingSecret,
            tokenLifetime: tokenLifetime, pacing: pacing == .on, pageSize: pageSize
        )
        let state = SandboxState(config: config, baseURL: "http://127.0.0.1:\(port)")
        var logger = Logger(label: "ml-connector-sandbox")
        logger.logLevel = .warning
        let app = Application(
            responder: SandboxResponder(state: state),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                let baseURL = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
                state.setBaseURL(baseURL)
                FileHandle.standardOutput.write(Data("listening on \(baseURL)\n".utf8))
            },
            logger: logger
        )
        try await app.runService()
    }
}
