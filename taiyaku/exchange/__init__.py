"""Exchange with translation vendors and CAT tools (Trados, memoQ, OmegaT, Weblate).

- ``xliff``: the catalogs as XLIFF 2.1, one file per catalog (``make export-xliff``), and a
  returned file merged back with every catalog check (``make import-xliff``);
- ``tmx``: every edition's translations as a TMX 1.4b translation memory (``make export-tmx``);
- ``tbx``: the glossary, forbidden renderings included, as TBX-Basic (``make export-glossary``);
- ``inline``: the rst constructs a translator must not break, as XLIFF/TMX inline codes;
- ``history``: which editions exist and where their catalogs are;
- ``schemas``: the official schemas every file is validated against.
"""
