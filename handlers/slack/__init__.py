"""The Slack edge: Bolt listeners, Block Kit renderers and the Chat port over the Web API."""
