"""The hotline staff's web server (127.0.0.1:8081), apart from the citizens' chat page: the staff
API (api/, for the hotline office and departments) and the seat console (seats/). It belongs on the
office's network, behind the reverse proxy's staff name or a VPN, never on the citizens' site.

    python -m channels.staff --host 127.0.0.1 --port 8081
"""
