"""The approval dashboard: its context (context.py), lists, waiting items, trends, charts."""
