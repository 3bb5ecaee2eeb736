"""Typed helpers that read settings from the environment.

Every secret may also come from a file: `NAME_FILE=/run/secrets/name` wins over `NAME`, so that
secrets need not sit in the process environment. A value that cannot be parsed stops the start
with a message naming the variable, rather than running with a silently wrong setting.
"""

import os
from pathlib import Path


class SettingError(ValueError):
    """A setting in the environment is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise SettingError(f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}.") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={value!r} is not a boolean: use true or false.")


def env_int(name: str, default: int) -> int:
    value = env_str(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines of a local settings file (blank lines and `#` comments skipped); {} if absent."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingError(f"The settings file {path} cannot be read: {exc.strerror}.") from exc
    values = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise SettingError(f"{path}, line {number}: write NAME=value.")
        values[name.strip()] = value.strip()
    return values
