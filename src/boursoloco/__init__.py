"""BoursOloco project configuration: settings, URL configurations, WSGI, queues."""
