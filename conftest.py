pytest_plugins = ["fairhearing.core.testing.browser"]
