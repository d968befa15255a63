"""Write resources/corpus.txt: simple sentences from a small seeded grammar.

Each kind of word (animals, people, foods, places, furniture) appears in its own
kinds of places in a sentence, so a model that learns from the words around a
word sees animals near animals and foods near foods.  Same seed, same file:

    python tools/make_corpus.py            # writes resources/corpus.txt and resources/word_kinds.json

``word_kinds.json`` says which kind each word of the grammar is (the Embeddings
tab colours words by it; Fill the blank counts a guess of the right kind); the
little words (the, a, on, in…) have none.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 2024
SENTENCES = 4000

WORDS = {  # each kind: its words, separated by spaces
    "animal": "cat dog horse cow sheep pig goat rabbit mouse duck fox hen",
    "person": "boy girl man woman baker farmer teacher child",
    "food": "bread cheese meat fish apple rice soup cake carrot egg corn grass",
    "place": "kitchen garden park farm forest field barn market yard street",
    "furniture": "sofa chair table bed bench rug shelf desk",
    "rest": "sleeps naps lies sits",
    "move": "runs walks goes jumps",
    "animal_eat": "eats likes finds wants",
    "person_food": "cooks buys cuts sells bakes",
    "person_furniture": "reads sits waits sleeps",
    "animal_adjective": "small big old young brown white",
    "food_adjective": "fresh warm sweet good",
    "article": "the a",
}

# the kinds word_kinds.json names, each made of some of the grammar's word lists (and template words)
KINDS = {
    "animal": ["animal"],
    "person": ["person"],
    "food": ["food"],
    "place": ["place"],
    "furniture": ["furniture"],
    "verb": ["rest", "move", "animal_eat", "person_food", "person_furniture", "play feeds puts"],
    "adjective": ["animal_adjective", "food_adjective"],
}

# {kind} is a random word of that kind; the same kind may appear twice.
TEMPLATES = [
    "{article} {animal} {rest} on the {furniture}",
    "{article} {animal_adjective} {animal} {rest} on the {furniture}",
    "{article} {animal} {animal_eat} {food} in the {place}",
    "{article} {animal_adjective} {animal} {animal_eat} {food}",
    "{article} {animal} {move} to the {place}",
    "{article} {animal} and {article} {animal} play in the {place}",
    "{article} {person} {person_food} {food} in the {place}",
    "{article} {person} {person_food} {food_adjective} {food}",
    "{article} {person} {person_furniture} on the {furniture}",
    "{article} {person} feeds {food} to the {animal}",
    "{article} {person} puts the {food} on the {furniture}",
    "{article} {person} {move} to the {place} with the {animal}",
    "there is a {furniture} in the {place}",
    "the {food} is on the {furniture}",
]


def sentence(rng: np.random.Generator) -> str:
    template = TEMPLATES[rng.integers(len(TEMPLATES))]
    words = []
    for part in template.split():
        if part.startswith("{"):
            choices = WORDS[part.strip("{}")].split()
            part = choices[rng.integers(len(choices))]
        words.append(part)
    return " ".join(words)


def word_kinds() -> dict[str, list[str]]:
    """Each kind's words, sorted; a list name stands for its words, anything else for itself."""
    kinds = {}
    for kind, parts in KINDS.items():
        words = set()
        for part in parts:
            words.update(WORDS[part].split() if part in WORDS else part.split())
        kinds[kind] = sorted(words)
    return kinds


def main() -> None:
    rng = np.random.default_rng(SEED)
    text = "\n".join(sentence(rng) for _ in range(SENTENCES)) + "\n"
    resources = Path(__file__).resolve().parent.parent / "resources"
    path = resources / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {SENTENCES} sentences, {len(text.encode())} bytes, to {path}")
    kinds = resources / "word_kinds.json"
    kinds.write_text(json.dumps(word_kinds(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote the kinds of {sum(map(len, word_kinds().values()))} words to {kinds}")


if __name__ == "__main__":
    main()
