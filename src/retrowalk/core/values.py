"""A base for the small immutable values of the modules `retrowalk streak` loads.

Elsewhere such values are frozen dataclasses, but importing `dataclasses` (or `typing`, for a
NamedTuple) costs a shell prompt more than computing the streak of 10,000 sessions. A subclass
names its fields in `__slots__`, sets them once in `__init__` through `_set`, and gets
equality, hashing, a readable repr and immutability from here.
"""

from __future__ import annotations


class Value:
    __slots__: tuple[str, ...] = ()

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} cannot be changed; make a new one")

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Value)
            and type(other) is type(self)
            and (other._fields() == self._fields())
        )

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"
