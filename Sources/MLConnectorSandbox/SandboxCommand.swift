import ArgumentParser

/// `ml-connector-sandbox`: serve the stand-ins (default), or send a business event or a Slack interaction to a URL.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector-sandbox",
        abstract: "Local stand-ins for Microsoft Entra ID, Dynamics 365 F&O OData and the Slack Web API.",
        subcommands: [ServeCommand.self, SendEventCommand.self, ClickCommand.self, SubmitCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
