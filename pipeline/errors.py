"""Errors Tarjama reports to its users.

Each message is one line that names the thing and, where there is one, the fix. The CLI prints
`tarjama: error: <message>` and exits with the class's exit code; tracebacks only with --debug.
Library code raises these and never prints or exits.
"""


class TarjamaError(Exception):
    exit_code = 2


class ConfigError(TarjamaError):
    """config.yaml or a command-line override is wrong."""


class ModelNotAvailable(TarjamaError):
    """The model cannot be found locally and cannot be downloaded."""


class InputNotFound(TarjamaError):
    """A file or folder named on the command line does not exist: a usage error, before any work."""


class UsageError(TarjamaError):
    """Arguments that do not go together (a command's file missing, or given where none is taken)."""


class InputError(TarjamaError):
    """One input file cannot be read, decoded or parsed. The batch goes on with the rest."""

    exit_code = 1

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedInput(InputError):
    """A file of a kind Tarjama does not read (picture, archive, no extension)."""


class OutputError(TarjamaError):
    """The output folder cannot be made or written: a usage error, before any work."""


class ReportNotWritten(OutputError):
    """The run is over but its report (`_batch.json`) could not be written (a full disk): `report`
    still says what became of each file."""

    def __init__(self, message: str, report):
        super().__init__(message)
        self.report = report


class ReviewImportError(TarjamaError):
    """An editor's document cannot be matched to its article; nothing was written."""


class Interrupted(TarjamaError):
    """The user asked the run to stop (Ctrl-C); raised between translation batches."""

    exit_code = 130
