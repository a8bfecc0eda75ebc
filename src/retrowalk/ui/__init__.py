"""The full-screen Textual app: thin screens that translate between keys, the engine and files."""
