"""The knowledge hub (seed 002): case studies of replicable models, written by organisations,
reviewed by the programme's secretariat, read and searched by anyone."""
