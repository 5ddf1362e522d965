"""Every value a person reads has a name in each language."""

from enum import Enum

import pytest

from service import enums
from service.kit.i18n import LOCALES, use_locale
from service.labels import LABELLED, LABELS, label

# Enumerations no person reads as words: machine codes, scopes and audit actions.
UNREAD = {enums.ApiScope, enums.AuditAction, enums.ErrorCode}


def test_every_enumeration_a_person_reads_is_labelled() -> None:
    defined = {
        value
        for value in vars(enums).values()
        if isinstance(value, type)
        and issubclass(value, Enum)
        and value.__module__ == enums.__name__
    }
    assert defined - UNREAD - set(LABELLED) == set()


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_member_has_a_label(enum: type[Enum]) -> None:
    assert set(LABELS[enum]) == {m.value for m in enum}
    for locale in LOCALES:
        with use_locale(locale):
            names = [label(m) for m in enum]
        assert all(names), (locale, enum)
        if locale != "en":
            english = [LABELS[enum][m.value] for m in enum]
            assert names != english, (locale, enum)


def test_labels_read_in_the_reader_language() -> None:
    assert label(enums.ObligationStatus.serving) == "serving"
    with use_locale("ru"):
        assert label(enums.ObligationStatus.serving) == "отрабатывает"
        assert label(enums.StudyField.other) != label(enums.SuspensionReason.other)
    with use_locale("kk"):
        assert label(enums.RegistrationKind.permanent) == "тұрақты тіркеу"
