"""The interactive REPL adapter: a prompt, ``:commands`` and answers with their sources."""
