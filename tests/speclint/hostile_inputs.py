"""Pathological documents shared by the hang-guard tests and bench/lint_bench.py."""

CASES = {
    "deep blockquotes": ">" * 5000 + " deep\n",
    "deep lists": "".join("  " * depth + "- item\n" for depth in range(2000)),
    "100k-character line": "# T\n\n" + ("word <name> `code` [x](#y) " * 4000)[:100_000] + "\n",
    "thousands of backticks": "# T\n\n" + "".join("`" * n + " " for n in range(1, 3000)) + "\n",
    "5000-row table": "# T\n\n| Area | Responsible | Accountable |\n|---|---|---|\n"
    + "".join(f"| A{n} | `x|y` Bo | Ana, Bo |\n" for n in range(5000)),
    "nested brackets": "# T\n\n" + "[" * 20000 + "x" + "]" * 20000 + "\n",
    "nested emphasis": "# T\n\n" + "*a **b " * 10000 + "\n",
    "many angle brackets": "# T\n\n" + "<" * 50000 + ">" * 50000 + "\n",
    "many headings": "".join(f"{'#' * (1 + n % 6)} H{n}\n" for n in range(5000)),
    "mojibake flood": "# T\n\n" + "Ã©â€™ðŸ“„" * 20000 + "\n",
    "long mermaid": "# T\n\n```mermaid\nflowchart LR\n" + "A[x] --> B((y))\n" * 20000 + "```\n",
    "deep json": "# T\n\n```json\n" + "[" * 100000 + "]" * 100000 + "\n```\n",
}
