import Glibc
public import Core
public import Logging

/// The whole life of a handler process (DESIGN.md §5.3): read configuration once, decide how it is being run, open
/// the database the way that mode wants, and serve — one request (CGI, one function event) or many (FastCGI, the
/// Lambda runtime loop) — with the same request → response function. A configuration error is reported the way the
/// mode allows (500 `{"error":"configuration"}` to the one request, `init/error` to Lambda) and ends with exit 78.
public enum HandlerRuntime {
    public static func run<Loaded: LoadableConfiguration>(
        component: String, configuration: Loaded.Type,
        connect: @escaping (Loaded) throws -> PostgresConnection,
        handler: (Loaded, Logger, any DatabaseSource) -> (InboundRequest) -> InboundResponse
    ) -> Never {
        ProcessHardening.disableCoreDumps()
        let environment = Environment.current()
        let mode = ServingMode.detect(environment)
        let configuration: Loaded
        do {
            configuration = try Loaded.load(from: environment)
        } catch {
            let level = (try? Configuration.parseLogLevel(environment)) ?? .info
            let logger = Logger.json(component: component, level: level)
            logger.error("\(error.description)", metadata: ["variable": "\(error.variable)"])
            reportConfigurationError(error, mode: mode, environment: environment, logger: logger)
            exit(ConfigurationError.exitCode)
        }
        let logger = Logger.json(component: component, level: configuration.logLevel)
        let open = { try connect(configuration) }
        let database: any DatabaseSource = mode.isLongRunning ? KeptConnection(connect: open) : OpenPerRequest(connect: open)
        let handle = handler(configuration, logger, database)
        switch mode {
        case .cgi, .functionEvent:
            let io = RequestIO(environment: environment)
            let response: InboundResponse
            switch io.read() {
            case .success(let request): response = handle(request)
            case .failure(let failure): response = failure.response
            }
            io.write(response)
            exit(0)
        case .lambda(let runtimeAPI):
            LambdaRuntimeLoop.serve(runtimeAPI: runtimeAPI, logger: logger, database: database, handle: handle)
        case .fastCGI(let listener):
            let ending = FastCGIResponder(listener: listener, maxRequests: configuration.maxRequests, logger: logger, handle: handle).run()
            switch ending {
            case .recycled, .stopped:
                logger.info("FastCGI process done", metadata: ["ending": "\(ending)"])
                exit(0)
            case .listenerFailed(let code):
                logger.error("the FastCGI listening socket failed", metadata: ["errno": "\(code)"])
                exit(1)
            }
        }
    }

    /// The one request of a CGI or function-event process gets 500 `{"error":"configuration"}`; the Lambda runtime
    /// posts `init/error`.
    private static func reportConfigurationError(_ error: ConfigurationError, mode: ServingMode, environment: Environment,
                                                 logger: Logger) {
        switch mode {
        case .cgi, .functionEvent: RequestIO(environment: environment).write(.error(500, "configuration"))
        case .lambda(let runtimeAPI): LambdaRuntimeLoop.reportInitError(error, runtimeAPI: runtimeAPI, logger: logger)
        case .fastCGI: break
        }
    }
}
