"""The Teams edge: Agents SDK activities in, Adaptive Cards and the Bot Connector API out."""
