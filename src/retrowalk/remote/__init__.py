"""The phone remote: a small page the running app serves itself, to pause, skip, stop, start
and time the balance check from a phone in the walker's hand.

The app is the host (`host.RemoteHost`): it says what is on screen (`state`) and carries out
the commands the page sends (`commands`), after the same checks the keys get (`rules`). The
server (`server.RemoteServer`) runs on the app's own asyncio loop; `guard` holds its security
checks, `qr` the code the terminal shows, `address` the LAN address it may listen on, `cues`
the sound files a phone may play. Nothing here imports Textual: the app adapts to it.
"""
