"""One stored embedding per (kind, object, model).

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
