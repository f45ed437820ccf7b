"""The local web chat: the whole incident flow in a browser, with no Slack or Teams app.

chat, clock = WebChat(runbook), OffsetClock(SystemClock())
add_web_chat(app, Deps(runbook, store, chat, clock), chat, clock)
"""
