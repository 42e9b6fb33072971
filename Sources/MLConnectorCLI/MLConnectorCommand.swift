import ArgumentParser

/// The operator CLI (DESIGN.md §6.2). Secrets come only from environment variables, never from arguments.
struct MLConnectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector",
        abstract: "Operate ml-connector: schema, connections, routes, checks, jobs, audit, replay.",
        discussion: """
            Configuration comes from the environment (MLC_DATABASE_URL, MLC_MASTER_KEY where secrets are read or \
            written); secrets only from the environment or stdin, never from arguments. `ml-connector help COMMAND` \
            shows a command's options and an example.

            Exit status: 0 ok; 1 a check failed or something named was not found; 64 wrong usage (an unknown or \
            invalid option); 65 an input file or stored document that is not valid; 66 an input file that cannot be \
            read; 69 PostgreSQL or a platform cannot be reached; 78 a missing or malformed environment variable.

            Example: ml-connector ping contoso
            """,
        subcommands: [MigrateCommand.self, ConnectionCommand.self, CatalogCommand.self, RouteCommand.self, PingCommand.self, StatusCommand.self, JobsCommand.self,
                      ReplayCommand.self, AuditCommand.self,
                      KeysCommand.self, RetentionCommand.self,
                      SlackCommand.self])
}
