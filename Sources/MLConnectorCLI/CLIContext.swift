import ArgumentParser
import Core
import Domain

/// What the subcommands share: configuration loaded once (its type says whether the master key is needed), the
/// database, and lookups that fail with a message. Failures are `CLIError`s, turned into a message and an exit
/// status by argument-parser's error flow in `main.swift`.
struct CLIContext<Loaded: LoadableConfiguration> {
    let loaded: Loaded
    let environment: Environment

    init(_ type: Loaded.Type = Loaded.self) throws(CLIError) {
        environment = Environment.current()
        do {
            loaded = try Loaded.load(from: environment)
        } catch {
            throw CLIError(error.description, exitCode: .configuration)
        }
    }

    func connect(databaseURL: String) throws(CLIError) -> PostgresConnection {
        do {
            return try PostgresConnection(url: databaseURL, applicationName: "ml-connector")
        } catch {
            throw CLIError(error.operatorDescription, exitCode: .unavailable)
        }
    }

    /// The active connection of that name.
    func connection(named name: String, in db: PostgresConnection) throws(CLIError) -> ConnectionRecord {
        guard let record = try reporting({ try ConnectionStore(db).find(name: name) }) else {
            throw CLIError("no connection named \(name)")
        }
        return record
    }
}

extension CLIContext where Loaded == Configuration {
    var configuration: Configuration { loaded }
    func connect() throws(CLIError) -> PostgresConnection { try connect(databaseURL: loaded.databaseURL) }
}

extension CLIContext where Loaded == KeyedConfiguration {
    var configuration: Configuration { loaded.configuration }
    func connect() throws(CLIError) -> PostgresConnection { try connect(databaseURL: loaded.configuration.databaseURL) }
}

/// Runs `body`, turning a thrown error into a `CLIError` (PostgreSQL errors with the server's own words, which
/// never include the password).
func reporting<T>(_ body: () throws -> T) throws(CLIError) -> T {
    do {
        return try body()
    } catch let error as CLIError {
        throw error
    } catch let error as PostgresError {
        throw CLIError(error.operatorDescription)
    } catch {
        throw CLIError("\(error)")
    }
}
