"""Pledgebook: coalitions, commitments and accountability for multi-stakeholder processes."""
