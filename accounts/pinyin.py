"""Hanyu pinyin syllables, and whether a run of letters is nothing but pinyin.

Passwords such as ``dangjian`` (党建), ``zhangsan123`` or ``Wangli@1990`` are the first thing an
attacker tries against a Chinese office: names, units and slogans written in pinyin. The password
policy (accounts.passwords) refuses a password whose letters split entirely into syllables.

The table is the standard one (声母 × 韵母 as actually spelled, the y/w forms of the syllables
without an initial, ü written v or u after n and l). Interjections spelled without a vowel
(m, n, ng, hm, hng) are left out: they would turn every stray consonant into "pinyin".
"""

# Each line: an initial (blank for none) and the finals it combines with, as spelled.
_TABLE = """
    : a o e ai ei ao ou an en ang eng er
  y : i a o e ao ou an in ang ing ong u ue uan un
  w : u a o ai ei an en ang eng
  b : a o ai ei ao an en ang eng i ie iao ian in ing u
  p : a o ai ei ao ou an en ang eng i ie iao ian in ing u
  m : a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u
  f : a o ei ou an en ang eng u
  d : a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un
  t : a e ai ei ao ou an ang eng ong i ie iao ian ing u uo ui uan un
  n : a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan v ve ue
  l : a o e ai ei ao ou an ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve ue
  g : a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang
  k : a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang
  h : a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang
  j : i ia ie iao iu ian in iang ing iong u ue uan un
  q : i ia ie iao iu ian in iang ing iong u ue uan un
  x : i ia ie iao iu ian in iang ing iong u ue uan un
 zh : a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang
 ch : a e i ai ao ou an en ang eng ong u ua uo uai ui uan un uang
 sh : a e i ai ei ao ou an en ang eng u ua uo uai ui uan un uang
  r : e i ao ou an en ang eng ong u ua uo ui uan un
  z : a e i ai ei ao ou an en ang eng ong u uo ui uan un
  c : a e i ai ao ou an en ang eng ong u uo ui uan un
  s : a e i ai ao ou an en ang eng ong u uo ui uan un
"""


def _syllables() -> frozenset[str]:
    found = set()
    for line in _TABLE.strip("\n").splitlines():
        initial, finals = line.split(":")
        found.update(initial.strip() + final for final in finals.split())
    return frozenset(found)


SYLLABLES = _syllables()
_LONGEST = max(map(len, SYLLABLES))


def split_pinyin(letters: str) -> list[str] | None:
    """The letters split into pinyin syllables (``"dangjian"`` → ``["dang", "jian"]``), or None when
    they cannot be split so. Case is ignored; anything but the letters a–z never splits."""
    text = letters.lower()
    if not text or not text.isascii() or not text.isalpha():
        return None
    # cut[i]: where the last syllable of a split of text[:i] starts (None: text[:i] does not split).
    # Longer syllables are tried last, so they win: "xian" reads as one syllable, not "xi an".
    cut: list[int | None] = [0] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for size in range(1, min(_LONGEST, end) + 1):
            start = end - size
            if cut[start] is not None and text[start:end] in SYLLABLES:
                cut[end] = start
    if cut[len(text)] is None:
        return None
    parts, end = [], len(text)
    while end > 0:
        start = cut[end]
        parts.append(text[start:end])
        end = start
    return parts[::-1]


def is_pinyin(letters: str) -> bool:
    return split_pinyin(letters) is not None
