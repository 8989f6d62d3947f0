"""The public home and menu lead a voter to the TPS look-up and to KPU's own cekdptonline."""

CEKDPT = 'href="https://cekdptonline.kpu.go.id/"'


def test_the_public_home_links_the_tps_lookup_and_cekdptonline(client, db):
    page = client.get("/").content.decode()
    main, menu = page.split("<main", 1)[1], page.split("<main", 1)[0]
    assert 'href="/cek-tps/"' in main and CEKDPT in main
    assert 'href="/cek-tps/"' in menu and CEKDPT in menu and 'href="/hasil/"' in menu


def test_the_public_menu_is_on_every_public_page(client, db):
    for url in ("/cek-tps/", "/hasil/", "/masuk/"):
        menu = client.get(url).content.decode().split("<main", 1)[0]
        assert 'href="/cek-tps/"' in menu and CEKDPT in menu, url


def test_the_api_docs_fit_a_phone(client, db):
    page = client.get("/api/docs")
    assert page.status_code == 200
    head = page.content.decode().split("</head>", 1)[0]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head
