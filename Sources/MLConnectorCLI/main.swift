import ArgumentParser

MLConnectorCommand.main()
