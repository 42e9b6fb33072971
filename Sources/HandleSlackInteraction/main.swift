import Common

HandlerRuntime.run(component: "handle-slack-interaction", needs: .masterKey) { configuration, logger in
    SlackInteractionHandler(box: SecretBox(keys: configuration.masterKeys!), logger: logger) {
        try PostgresConnection(url: configuration.databaseURL, applicationName: "handle-slack-interaction", connectTimeout: 3)
    }.handle
}
