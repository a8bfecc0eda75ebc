"""Files on disk: paths, settings, plans, history and the in-progress checkpoint.

Every write of an app-owned file is atomic and durable and runs under one lock file; a file
that exists but cannot be fully read is reported and never overwritten.
"""
