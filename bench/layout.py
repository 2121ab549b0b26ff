"""The project's layout as a self-check: modules, their sizes and the imports between layers.

Prints every module of ``bot/`` and ``retrieval/`` with its line count and largest class, the
import edges between the chat core and its adapters, and any breach of the rules:

- ``retrieval`` never imports ``bot``;
- the chat core (``bot.core``) imports no adapter (``bot.cli``, ``bot.repl``, ``bot.discord``,
  ``bot.news``) and not ``discord``; only ``bot.discord`` imports ``discord``;
- no module over 400 lines, no class over 200 lines.

Usage: ``python -m bench.layout`` (exit 1 when a rule is broken).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "retrieval")
CORE = "bot.core"
ADAPTERS = ("bot.cli", "bot.repl", "bot.discord", "bot.news")
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 200


@dataclass
class Module:
    """One source file: its dotted name, size, largest class and what it imports."""

    name: str
    lines: int
    largest_class: tuple[str, int] | None
    imports: set[str] = field(default_factory=set)


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_module(path: Path) -> Module:
    """Parse one file: line count, largest class and imported module names."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    name = _dotted(path)
    imports: set[str] = set()
    classes: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imports.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            base = name.split(".")[: -node.level] if path.name != "__init__.py" else name.split(".")
            imports.add(".".join([*base, node.module] if node.module else base))
        elif isinstance(node, ast.ClassDef) and node.end_lineno is not None:
            classes.append((node.name, node.end_lineno - node.lineno + 1))
    largest = max(classes, key=lambda c: c[1]) if classes else None
    return Module(name, len(source.splitlines()), largest, imports)


def modules() -> list[Module]:
    """Every module of the product packages, in name order."""
    found = [read_module(p) for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    return sorted(found, key=lambda m: m.name)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def breaches(found: list[Module]) -> list[str]:
    """The rules each module breaks, one line each."""
    out: list[str] = []
    for module in found:
        if module.lines > MAX_MODULE_LINES:
            out.append(f"{module.name}: {module.lines} lines (over {MAX_MODULE_LINES})")
        if module.largest_class and module.largest_class[1] > MAX_CLASS_LINES:
            cls, size = module.largest_class
            out.append(f"{module.name}: class {cls} has {size} lines (over {MAX_CLASS_LINES})")
        for target in sorted(module.imports):
            if _within(module.name, "retrieval") and _within(target, "bot"):
                out.append(f"{module.name} imports {target}: retrieval must not import bot")
            if _within(module.name, CORE) and any(_within(target, a) for a in ADAPTERS):
                out.append(f"{module.name} imports {target}: the core must not import adapters")
        if not _within(module.name, "bot.discord") and any(
            _within(target, "discord") for target in module.imports
        ):
            out.append(f"{module.name} imports discord: only bot.discord may")
    return out


def edges(found: list[Module]) -> list[tuple[str, str]]:
    """Imports that cross between the core and an adapter package, as (importer, imported)."""
    layers = (CORE, *ADAPTERS)

    def layer(name: str) -> str | None:
        return next((p for p in layers if _within(name, p)), None)

    out = set()
    for module in found:
        mine = layer(module.name)
        for target in module.imports:
            theirs = layer(target)
            if mine and theirs and mine != theirs:
                out.add((mine, theirs))
    return sorted(out)


def main() -> int:
    """Print the layout and the breaches; 1 when there is any."""
    found = modules()
    for module in found:
        biggest = module.largest_class
        cls = f"  (largest class {biggest[0]}: {biggest[1]})" if biggest else ""
        print(f"{module.lines:5d}  {module.name}{cls}")
    print("\nimport edges between layers:")
    for importer, imported in edges(found):
        print(f"  {importer} -> {imported}")
    problems = breaches(found)
    print("\n" + ("\n".join(problems) if problems else "no rule broken"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
