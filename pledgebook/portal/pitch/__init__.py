"""The pitch pipeline: scale-up plans, investor profiles, matching, the pitch segment."""
