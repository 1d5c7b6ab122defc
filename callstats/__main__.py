import sys

from callstats.cli import main

sys.exit(main())
