from shopbook.cli import main

main()
