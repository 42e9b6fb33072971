import Core
import Inbound

HandlerRuntime.run(component: "handle-business-event", configuration: Configuration.self) { configuration, logger in
    BusinessEventHandler(logger: logger) {
        try PostgresConnection(url: configuration.databaseURL, applicationName: "handle-business-event", connectTimeout: 3)
    }.handle
}
