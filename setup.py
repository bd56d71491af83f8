"""Build step that pyproject.toml cannot express: compile the interface catalogues.

The repository keeps the gettext catalogues as ``locales/<lang>/LC_MESSAGES/messages.po`` (edited
with ``make messages``). A wheel carries them compiled, as
``dialogs/locales/<lang>/LC_MESSAGES/messages.mo``, where ``dialogs.i18n`` looks first. An
editable install compiles nothing: it reads the ``.po`` files of the checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target_root = Path(self.build_lib) / "dialogs" / "locales"
        for po_path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            target = target_root / lang / "LC_MESSAGES" / po_path.with_suffix(".mo").name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)  # fuzzy entries are drafts
            self.announce(f"compiled {po_path.relative_to(ROOT)} -> {target}", level=2)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
