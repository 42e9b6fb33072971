import ArgumentParser
import Common
import Glibc

/// Configuration and database access shared by the subcommands; configuration errors exit with status 78.
struct CLIContext {
    let configuration: Configuration
    let environment: Environment

    init(needs: Configuration.Needs = []) throws {
        environment = Environment.current()
        do {
            configuration = try Configuration.load(from: environment, needs: needs)
        } catch {
            CLIContext.fail(error.description, code: ConfigurationError.exitCode)
        }
    }

    func connect() -> PostgresConnection {
        do {
            return try PostgresConnection(url: configuration.databaseURL, applicationName: "ml-connector")
        } catch {
            CLIContext.fail(error.operatorDescription, code: 1)
        }
    }

    var secretBox: SecretBox {
        guard let keys = configuration.masterKeys else { CLIContext.fail("MLC_MASTER_KEY is required", code: 78) }
        return SecretBox(keys: keys)
    }

    /// The active connection of that name, or exit 1 with a message.
    func connection(named name: String, in db: PostgresConnection) -> ConnectionRecord {
        do {
            guard let record = try ConnectionStore(db).find(name: name) else {
                CLIContext.fail("no connection named \(name)", code: 1)
            }
            return record
        } catch {
            CLIContext.fail(error.operatorDescription, code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        printError("ml-connector: \(message)")
        exit(code)
    }
}

func printError(_ message: String) {
    StandardStreams.writeErrorLine(message)
}

/// Runs `body`, turning a thrown error into a message and exit status 1 (PostgreSQL errors with the server's
/// own words, which never include the password).
func reporting<T>(_ body: () throws -> T) -> T {
    do {
        return try body()
    } catch let error as PostgresError {
        CLIContext.fail(error.operatorDescription, code: 1)
    } catch {
        CLIContext.fail("\(error)", code: 1)
    }
}
