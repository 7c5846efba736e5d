"""快递对账: reconciling the courier's monthly bill against the shipping register."""
