import Common

HandlerRuntime.run(component: "handle-business-event", needs: []) { configuration, logger in
    BusinessEventHandler(logger: logger) {
        try PostgresConnection(url: configuration.databaseURL, applicationName: "handle-business-event", connectTimeout: 3)
    }.handle
}
