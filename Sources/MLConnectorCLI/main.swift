import ArgumentParser
import Core

ProcessHardening.disableCoreDumps()
// argument-parser's own flow, with our failures printed as one line and their exit status kept.
do {
    var command = try MLConnectorCommand.parseAsRoot()
    try command.run()
} catch let error as CLIError {
    StandardStreams.writeErrorLine("ml-connector: \(error.message)")
    MLConnectorCommand.exit(withError: error.exitCode)
} catch {
    MLConnectorCommand.exit(withError: error)
}
