"""Configuration of the workshop's JupyterHub, one small module per concern.

``jupyterhub_config.py`` calls :func:`configure` (or the functions one by one);
every ``configure_*`` function sets values on a traitlets ``Config`` and
touches nothing else, so each is unit-tested against a fresh ``Config``.
"""
