"""The bot's handlers, one module per room; each ends with `register(app)`."""
