"""``manage.py build_vector_index``: build the shared base index of the similarity vectors now
(what the task worker does when enough rows changed; see pledgebook/similarity/base.py)."""

from django.core.management.base import BaseCommand, CommandError

from pledgebook.similarity import base, embedding


class Command(BaseCommand):
    help = (
        "Build the next generation of the shared similarity index (SIMILARITY_INDEX_DIR) "
        "from the Vector table, unless the newest one is up to date. App processes "
        "memory-map it at their next query."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--model", default=None, help="model_id of the vectors (default: the engine's)"
        )
        parser.add_argument(
            "--force", action="store_true", help="build even when the newest one is up to date"
        )
        parser.add_argument(
            "--threads", type=int, default=0, help="threads for the build (default: all cores)"
        )

    def handle(self, *args, model=None, force=False, threads=0, **options):
        model_id = model or embedding.model_id()
        try:
            built = base.build(model_id, force=force, threads=threads)
        except base.BuildBusy as error:
            raise CommandError(f"{error}; try again when it has finished") from None
        where = base.model_dir(model_id) / f"gen-{built.generation:08d}"
        if built.built:
            self.stdout.write(
                f"built generation {built.generation}: {built.rows} rows in "
                f"{built.seconds:.1f} s ({where})"
            )
        else:
            self.stdout.write(f"up to date: generation {built.generation}, {built.rows} rows")
