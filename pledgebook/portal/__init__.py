"""The partnership portal (seed 002): the map and SDG dashboard, the partner finder, the pitch
pipeline from partnerships ready to scale to investors, and the knowledge hub of case studies."""
