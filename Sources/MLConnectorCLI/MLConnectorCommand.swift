import ArgumentParser

/// The operator CLI (DESIGN.md §6.2). Secrets come only from environment variables, never from arguments.
struct MLConnectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector",
        abstract: "Operate ml-connector: schema, connections, routes, checks, jobs, audit, replay.",
        subcommands: [MigrateCommand.self, ConnectionCommand.self, CatalogCommand.self, RouteCommand.self, PingCommand.self, JobsCommand.self,
                      ReplayCommand.self, AuditCommand.self,
                      KeysCommand.self, RetentionCommand.self])
}
