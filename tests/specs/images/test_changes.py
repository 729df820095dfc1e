from specs.images.changes import FileChange, file_changes


def test_files_are_compared_by_content_per_path():
    old = {"a.png": "1" * 64, "b.png": "2" * 64, "same.png": "3" * 64}
    new = {"b.png": "4" * 64, "c.png": "5" * 64, "same.png": "3" * 64}
    assert file_changes(old, new) == [
        FileChange("a.png", "removed", "1" * 64, ""),
        FileChange("b.png", "changed", "2" * 64, "4" * 64),
        FileChange("c.png", "added", "", "5" * 64),
    ]


def test_no_files_no_changes():
    assert file_changes({}, {}) == []
