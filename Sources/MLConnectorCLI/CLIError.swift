import ArgumentParser

/// A failure of a subcommand: the message for stderr (never a secret) and the exit status.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode = .failure) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}

extension ExitCode {
    /// EX_CONFIG: a missing or malformed environment variable.
    static let configuration = ExitCode(78)
    /// EX_DATAERR: an input file that is not valid.
    static let invalidData = ExitCode(65)
    /// EX_NOINPUT: an input file that cannot be read.
    static let noInput = ExitCode(66)
    /// EX_UNAVAILABLE: a service the command needs cannot be reached or refused (PostgreSQL, `catalog check` reading
    /// `$metadata`). The exit statuses are listed once, in `ml-connector --help` (`MLConnectorCommand`).
    static let unavailable = ExitCode(69)
}
