"""The chat core (answerer, conversation memory, the one ``ask`` API) and its adapters."""
