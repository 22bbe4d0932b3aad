"""taiyaku (対訳): a bilingual publishing toolchain for Japanese masters and their translations."""

__version__ = '0.1.0'
