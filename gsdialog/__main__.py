import sys

from gsdialog.cli import main

sys.exit(main())
