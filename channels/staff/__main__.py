from channels.staff.app import main

main()
