"""Kazakhstan's local time and today's date there: :mod:`knowledge.clock` (the knowledge base
picks the rules in force with the same clock the deadlines count with)."""

from knowledge.clock import ZONE_NAME, kz_zone, now_kz, today_kz

__all__ = ["ZONE_NAME", "kz_zone", "now_kz", "today_kz"]
