import ArgumentParser
import Core
import Glibc
import Logging
import Server

// ml-connector-server [--host H] [--port P] [--worker N] [--pool N]   (DESIGN.md §5.3)
ProcessHardening.disableCoreDumps()
let arguments = ServerArguments.parseOrExit()
let environment = Environment.current()
let address: ListenAddress
let configuration: KeyedConfiguration
do {
    address = try ListenAddress.resolve(host: arguments.host, port: arguments.port, environment: environment)
    configuration = try KeyedConfiguration.load(from: environment)
} catch {
    StandardStreams.writeErrorLine("ml-connector-server: \(error.description)")
    exit(ConfigurationError.exitCode)
}
let logger = Logger.json(component: "ml-connector-server", level: configuration.logLevel)
do {
    try await ConnectorServer(address: address, poolSize: arguments.pool, workers: arguments.worker, configuration: configuration,
                              logger: logger).run()
    exit(0)
} catch {
    logger.error("server failed", metadata: ["error": "\(error)"])
    exit(1)
}
