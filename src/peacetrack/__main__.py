"""`python -m peacetrack`: the command line, for when the `peacetrack` script is not on PATH."""

from peacetrack.cli import app

app(prog_name="peacetrack")
