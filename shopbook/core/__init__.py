"""The shared vocabulary every job uses: findings, their codes and messages."""
