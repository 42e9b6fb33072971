import Core
import Inbound
import Interactions

HandlerRuntime.run(component: "handle-slack-interaction", configuration: KeyedConfiguration.self) { keyed, logger in
    SlackInteractionHandler(box: keyed.secretBox, logger: logger) {
        try PostgresConnection(url: keyed.configuration.databaseURL, applicationName: "handle-slack-interaction", connectTimeout: 3)
    }.handle
}
