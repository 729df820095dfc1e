"""The pages of the review: the spec page, the review steps, decisions, comments, dashboard."""
