import Glibc
public import Core
public import Logging

/// The whole life of a CGI / function handler process: read configuration once, read the one request, answer,
/// exit. A configuration error is answered with 500 `{"error":"configuration"}` and exit status 78.
public enum HandlerRuntime {
    public static func run<Loaded: LoadableConfiguration>(
        component: String, configuration: Loaded.Type,
        handler: (Loaded, Logger) -> (InboundRequest) -> InboundResponse
    ) -> Never {
        let environment = Environment.current()
        let io = RequestIO(environment: environment)
        let configuration: Loaded
        do {
            configuration = try Loaded.load(from: environment)
        } catch {
            let level = (try? Configuration.parseLogLevel(environment)) ?? .info
            Logger.json(component: component, level: level).error("\(error.description)", metadata: ["variable": "\(error.variable)"])
            io.write(.error(500, "configuration"))
            exit(ConfigurationError.exitCode)
        }
        let logger = Logger.json(component: component, level: configuration.logLevel)
        let response: InboundResponse
        switch io.read() {
        case .success(let request): response = handler(configuration, logger)(request)
        case .failure(let failure): response = failure.response
        }
        io.write(response)
        exit(0)
    }
}
