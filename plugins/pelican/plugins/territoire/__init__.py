"""The territory site kit as a Pelican namespace plugin: ``PLUGINS = ["territoire"]`` finds it
here, as it finds the packages of pelican-plugins. The code lives in the ``territoire`` package."""

from territoire import register

__all__ = ["register"]
