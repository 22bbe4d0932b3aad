import sys

from taiyaku.cli import main

sys.exit(main())
