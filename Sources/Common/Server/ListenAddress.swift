public import Core

/// Where `ml-connector-server` listens (DESIGN.md §5.3): the port from `--port`, else `FUNCTIONS_CUSTOMHANDLER_PORT`
/// (Azure Functions custom handlers), else `PORT` (Cloud Run, Container Apps, Knative), else 8080; the host
/// 127.0.0.1 unless `--host` is given (a container passes `--host 0.0.0.0`).
public struct ListenAddress: Sendable, Equatable {
    public let host: String
    public let port: Int

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `port` 0 picks a free port (tests). A malformed variable is a configuration error naming it.
    public static func resolve(host: String?, port: Int?, environment: Environment) throws(ConfigurationError) -> ListenAddress {
        if let port { return ListenAddress(host: host ?? defaultHost, port: port) }
        for variable in ["FUNCTIONS_CUSTOMHANDLER_PORT", "PORT"] {
            guard let raw = environment.nonEmpty(variable) else { continue }
            guard let value = Int(raw), (1...65535).contains(value) else {
                throw ConfigurationError(variable: variable, problem: "must be a TCP port from 1 to 65535")
            }
            return ListenAddress(host: host ?? defaultHost, port: value)
        }
        return ListenAddress(host: host ?? defaultHost, port: defaultPort)
    }
}
