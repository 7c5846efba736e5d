"""shopbook: the back office of a small online shop, kept in its own Excel sheets."""
__version__ = "0.1.0"
