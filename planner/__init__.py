"""planner: an editorial calendar planner driven by a constraint solver."""

__version__ = "0.1.0"
