"""retrowalk: a full-screen terminal coach for backward walking."""

__version__ = "0.1.0"
