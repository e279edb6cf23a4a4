"""Protocol XML for interfaces pywayland does not ship, and the modules generated from it."""
