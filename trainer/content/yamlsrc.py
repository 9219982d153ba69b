"""YAML that remembers the line of every key and list item, Markdown front matter, typed reads."""
from dataclasses import dataclass

import yaml

from trainer.content.model import Problem, Source


class LineDict(dict):
    """A YAML mapping with the line it starts on and the line of each key."""

    line: int = 1
    key_lines: dict


class LineList(list):
    """A YAML sequence with the line it starts on and the line of each item."""

    line: int = 1
    item_lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader (libyaml when present) whose mappings and sequences carry line numbers."""

    def __init__(self, stream, line_offset: int):
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicates: list[tuple[int, str]] = []

    def line_of(self, node) -> int:
        """The file line (1-based) a node starts on."""
        return node.start_mark.line + 1 + self.line_offset


def _mapping(loader: _Loader, node) -> LineDict:
    loader.flatten_mapping(node)
    data = LineDict()
    data.line, data.key_lines = loader.line_of(node), {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text",
                                                    key_node.start_mark)
        if key in data:
            loader.duplicates.append((loader.line_of(key_node), f"duplicate key '{key}'"))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = loader.line_of(key_node)
    return data


def _sequence(loader: _Loader, node) -> LineList:
    data = LineList(loader.construct_object(child, deep=True) for child in node.value)
    data.line = loader.line_of(node)
    data.item_lines = [loader.line_of(child) for child in node.value]
    return data


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse_yaml(text: str, path: str, problems: list[Problem], line_offset: int = 0):
    """Parse YAML text; on a syntax error note a Problem at its line and return None."""
    loader = _Loader(text, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        message = f"malformed YAML: {err.problem or err.context}"
        if err.context and err.problem and err.context_mark:
            message += f" ({err.context} that starts on line {err.context_mark.line + 1 + line_offset})"
        problems.append(Problem(path, line, message))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(path, line_offset + 1, f"malformed YAML: {err}"))
        return None
    finally:
        loader.dispose()
    problems.extend(Problem(path, line, message) for line, message in loader.duplicates)
    return data


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML header and its body."""

    data: object
    body: str
    body_line: int


def parse_front_matter(text: str, path: str, problems: list[Problem]) -> FrontMatter | None:
    """Split `---` front matter from the Markdown body; YAML lines keep their file numbers."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "the file must start with a '---' line opening its front matter"))
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(path, 1, "the front matter is not closed by a second '---' line"))
        return None
    data = parse_yaml("\n".join(lines[1:end]), path, problems, line_offset=1)
    return FrontMatter(data, "\n".join(lines[end + 1:]), end + 2)


class Reader:
    """Reads typed values from one YAML mapping, noting a Problem for each bad or missing one."""

    def __init__(self, data, path: str, problems: list[Problem], known: tuple[str, ...],
                 what: str = "this", line: int = 1):
        self.path, self.problems, self.known = path, problems, known
        if not isinstance(data, LineDict):
            problems.append(Problem(path, getattr(data, "line", line),
                                    f"{what} must be a set of 'key: value' lines"))
            data = LineDict()
            data.line, data.key_lines = line, {}
        self.data = data
        self.source = Source(path, data.line, dict(data.key_lines))
        for key in data:
            if key not in known:
                self.problem(key, f"unknown key '{key}' (expected one of: {', '.join(known)})")

    def problem(self, key: str, message: str) -> None:
        """Note a problem at the line of key."""
        self.problems.append(Problem(self.path, self.source.at(str(key)), message))

    def _get(self, key: str, required: bool, kinds: tuple, describe: str, default=None):
        if key not in self.data or self.data[key] is None:
            if required:
                self.problem(key, f"missing required key '{key}'")
            return default
        value = self.data[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.problem(key, f"'{key}' must be {describe}, not {value!r}")
            return None
        return value

    def text(self, key: str, required: bool = True, default=None) -> str | None:
        """A non-empty piece of text."""
        value = self._get(key, required, (str,), "text", default)
        if isinstance(value, str) and not value.strip():
            self.problem(key, f"'{key}' must not be empty")
            return None
        return value.strip() if isinstance(value, str) else value

    def integer(self, key: str, required: bool = True, default=None) -> int | None:
        """A whole number."""
        return self._get(key, required, (int,), "a whole number", default)

    def number(self, key: str, required: bool = True, default=None) -> float | None:
        """A number (whole or decimal)."""
        value = self._get(key, required, (int, float), "a number", default)
        return float(value) if value is not None else None

    def boolean(self, key: str, required: bool = False, default=None) -> bool | None:
        """true or false."""
        return self._get(key, required, (bool,), "true or false", default)

    def items(self, key: str, required: bool = True) -> LineList:
        """A list; item lines are recorded as `key.N` in the source."""
        value = self._get(key, required, (list,), "a list", LineList())
        value = value if value is not None else LineList()
        for index, line in enumerate(getattr(value, "item_lines", [])):
            self.source.keys[f"{key}.{index}"] = line
        return value

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty texts."""
        values = []
        for index, item in enumerate(self.items(key, required)):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{key}.{index}", f"each item of '{key}' must be text")
            else:
                values.append(item.strip())
        return tuple(values)
