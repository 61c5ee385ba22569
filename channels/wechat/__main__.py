from channels.wechat.app import main

main()
