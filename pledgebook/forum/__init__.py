"""The forum: events, sessions and side events, participation, session summaries, statements,
consultations, and the Co-Chairs' Summary compiled from them (seeds 000 and 002)."""
