"""拣货单: the pick-list job, its file adapter and its printable lists."""
