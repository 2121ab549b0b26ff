"""The chat core: ``Chat.ask`` and what it is made of (reading a question, ranking sentences,
composing the cited answer, conversation memory, evaluation). Imports no adapter."""
