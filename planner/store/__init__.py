"""The plan store: one SQLite file per workspace, the single source of truth of a plan's life.

Every item ever planned, each of its versions (by planner, by the user, or imported), every
run, the days each run covered, and the exact bytes of every file it wrote. The folders in
`outputs/` are views rendered from it.
"""
