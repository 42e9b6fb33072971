import ArgumentParser

/// `ml-connector-server [--host H] [--port P] [--worker N] [--pool N]` (DESIGN.md §5.3).
struct ServerArguments: ParsableArguments {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector-server",
        abstract: "Serve handle-business-event (POST …/events/<connection>) and handle-slack-interaction (POST …/slack/<connection>) over HTTP/1.1."
    )

    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 in a container).")
    var host: String?

    @Option(help: "TCP port (default: FUNCTIONS_CUSTOMHANDLER_PORT, else PORT, else 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "process-job --listen loops to run in this process.")
    var worker = 0

    @Option(help: "PostgreSQL connections, and as many handler threads, for the requests.")
    var pool = 4

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        guard worker >= 0 else { throw ValidationError("--worker must not be negative") }
        guard (1...256).contains(pool) else { throw ValidationError("--pool must be between 1 and 256") }
    }
}
