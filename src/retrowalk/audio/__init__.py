"""Sound: which cue an engine event calls for, which file plays it, and the players."""
