"""测评码 (ballots.domain.tokens): unguessable, typeable, without ambiguous characters."""

from ballots.domain import tokens


def test_codes_carry_at_least_64_random_bits_without_ambiguous_characters():
    assert tokens.BITS >= 64
    codes = {tokens.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == tokens.LENGTH
        assert not set(code) & set("0O1Il")
        assert set(code) <= set(tokens.ALPHABET)
    # every symbol of the alphabet turns up: the generator is not biased to a subset
    assert set("".join(codes)) == set(tokens.ALPHABET)


def test_typed_codes_are_read_leniently():
    code = tokens.new_code()
    shown = tokens.display(code)
    assert shown.count("-") == 2 and shown.replace("-", "") == code
    assert tokens.normalize(shown) == code
    assert tokens.normalize(" " + shown.lower().replace("-", " ") + " ") == code
    assert tokens.normalize(code[:-1]) is None
    assert tokens.normalize(code[:-1] + "0") is None
    assert tokens.normalize("") is None
    assert tokens.normalize(None) is None


def test_codes_come_from_the_secrets_module(monkeypatch):
    calls = []
    monkeypatch.setattr(tokens.secrets, "choice", lambda seq: calls.append(seq) or seq[0])
    assert tokens.new_code() == "2" * tokens.LENGTH
    assert len(calls) == tokens.LENGTH
