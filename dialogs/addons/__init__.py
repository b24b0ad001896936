"""Rasa add-ons (run inside the Rasa process). Importing this package changes nothing: the app channel activates
the add-ons credentials.yml lists (addons/activation.py), each checked against the Rasa version it was written for."""
