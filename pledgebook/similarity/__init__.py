"""Text similarity and semantic search: sentence embeddings stored per object, nearest neighbours.

Other apps use :mod:`pledgebook.similarity.engine` (the one interface) and enqueue
:func:`pledgebook.similarity.tasks.index_object` when a text changes.  See docs/SIMILARITY.md.
"""
