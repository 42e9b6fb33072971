import Core
import Inbound

HandlerRuntime.run(component: "handle-business-event", configuration: Configuration.self, connect: { configuration in
    try PostgresConnection(url: configuration.databaseURL, applicationName: "handle-business-event", connectTimeout: 3)
}) { _, logger, database in
    BusinessEventHandler(logger: logger, database: database).handle
}
