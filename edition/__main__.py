"""`python -m edition`: the same command as `edition`, for when the script is not on the PATH."""

from .cli import main

main(prog_name="edition")
