from deskpilkada.manage import main

main()
