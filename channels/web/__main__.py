from channels.web.app import main

main()
