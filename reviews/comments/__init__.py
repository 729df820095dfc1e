"""Review comments: threads and how their anchors follow the text across versions."""
