from compositor.cli import main

raise SystemExit(main())
