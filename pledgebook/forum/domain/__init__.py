"""Every state change of the forum, one module per part: ``schedule`` (events, rooms,
sessions), ``proposals`` (side events), ``participation`` (registration, waiting list, marked
sessions), ``summaries`` (session summaries, their tasks and reminders), ``statements``,
``consultations``, ``cochairs`` (compile, edit, publish) and ``digest`` (subscribers, the
follow-up digest)."""
