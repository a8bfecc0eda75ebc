"""The command line: the parser, one module a command family, and the shell prompt's fast path.

Nothing is imported here, so that `retrowalk streak` (cli.prompt) loads only what it needs.
"""
