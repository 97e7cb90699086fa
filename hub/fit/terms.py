"""What is asked of an offering, as the parameters of the fit rules (hub.fit.rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.registry.model import GRADES_SERVING, Authority, GmpGrade
from hub.time import day_window


@dataclass(frozen=True)
class Terms:
    """Each field left None is not asked (`authorities` empty: no certificate asked)."""

    capability: str
    unit: str | None = None
    quantity: float | None = None  # must lie within the offering's scale
    spare: float | None = None  # free in every period of the window
    grade: GmpGrade | None = None
    authorities: tuple[Authority, ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    origin: tuple[float, float] | None = None  # lat, lon
    max_km: float | None = None

    def window_s(self) -> tuple[int, int] | None:
        """The window in epoch seconds: [first day 00:00, last day + 1 00:00) China time."""
        if self.first_day is None or self.last_day is None:
            return None
        start, end = day_window(self.first_day, self.last_day)
        return int(start.timestamp()), int(end.timestamp())

    def params(self) -> dict[str, Any]:
        window = self.window_s()
        origin = (
            None
            if self.origin is None
            else {"latitude": self.origin[0], "longitude": self.origin[1], "crs": "WGS-84"}
        )
        return {
            "capability": self.capability,
            "unit": self.unit,
            "quantity": self.quantity,
            "spare": self.spare,
            "grades": None if self.grade is None else GRADES_SERVING[self.grade],
            "authorities": [a.value for a in self.authorities],
            "first_day": self.first_day,
            "last_day": self.last_day,
            "from_s": None if window is None else window[0],
            "to_s": None if window is None else window[1],
            "origin": origin,
            "max_km": self.max_km,
        }
