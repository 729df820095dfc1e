"""Pure review rules: the workflow transition table, who may sign what, the quality gate."""
