"""Images attached to versions: checked by content (`validation`), stored once by hash and
attached per version (`store`), compared between versions (`changes`). ADR 0012."""
