"""One stored embedding per (kind, object, model), and the backlog of objects to (re)index.

``kind`` is a free string ("eoi", "coalition", ...) so that any app can index its texts without
a foreign key to this one; ``object_id`` is the primary key of the object in its own table.  The
vector is stored as little-endian float16 bytes (``dim`` values); the in-process index
(:mod:`pledgebook.similarity.index`) is rebuilt from these rows by every process.
"""

from django.db import models


class Vector(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    model_id = models.CharField(max_length=100)
    text_digest = models.CharField(max_length=64, help_text="sha256 of the embedded text, hex")
    dim = models.PositiveSmallIntegerField()
    data = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "model_id"], name="similarity_vector_unique"
            )
        ]
        indexes = [
            models.Index(fields=["model_id", "updated_at"], name="similarity_vector_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.model_id})"


class IndexRequest(models.Model):
    """An object whose text must be (re)embedded: the backlog of indexing, worked through in
    batches by ``tasks.index_pending`` (see ``backlog.py``).  Kept in the database, so nothing is
    lost when a task dies: the next batch takes what is left.  A done row stays until the
    backlog is empty, so that progress can say "120 of 288"."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    # Whose progress it counts in (a programme's id for coalitions and EOIs); free, like kind.
    scope = models.BigIntegerField(null=True, blank=True)
    queued_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="similarity_indexrequest_unique"
            )
        ]
        indexes = [
            models.Index(fields=["done_at", "queued_at"], name="similarity_request_todo"),
            models.Index(fields=["scope", "done_at"], name="similarity_request_scope"),
        ]

    def __str__(self) -> str:
        return f"index {self.kind}:{self.object_id}" + (" (done)" if self.done_at else "")
