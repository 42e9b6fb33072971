import Core
import Inbound
import Interactions

HandlerRuntime.run(component: "handle-slack-interaction", configuration: KeyedConfiguration.self, connect: { keyed in
    try PostgresConnection(url: keyed.configuration.databaseURL, applicationName: "handle-slack-interaction", connectTimeout: 3)
}) { keyed, logger, database in
    SlackInteractionHandler(box: keyed.secretBox, logger: logger, database: database).handle
}
