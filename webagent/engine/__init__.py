"""The engine: the build graph, builds, edits and their checkpoints, above planners, generators and reflection."""
