"""The command-line adapter: ``qabot`` and its subcommands, text rendering, progress bars."""
