"""The benchmark runner and its reports, above the engine that builds the pages."""
