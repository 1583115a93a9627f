"""Branch, party groups, committee and members (filled in by the members area)."""
