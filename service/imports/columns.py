"""The columns of each kind of import: what each is called in Kazakh, Russian and English
(the template's header in that language comes first) and the other spellings career centres
use. A file's header is matched against all of them, whatever the reader's language."""

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from service.imports.files import FieldSpec


class ImportKind(StrEnum):
    graduates = "graduates"
    """Students with their enrolment (one row: one student and one enrolment)."""
    employments = "employments"
    registrations = "registrations"
    housing = "housing"


@dataclass(frozen=True)
class Local:
    """An example written as each language's reader writes it (a name, a place): the
    Russian one must save in Windows-1251, which has no Kazakh letters."""

    en: str
    ru: str
    kk: str


@dataclass(frozen=True)
class Column:
    name: str
    en: str
    ru: str
    kk: str
    variants: tuple[str, ...] = ()
    required: bool = False
    example: str | Local | None = None

    def header(self, locale: str) -> str:
        return {"en": self.en, "ru": self.ru, "kk": self.kk}.get(locale, self.en)

    def example_in(self, locale: str) -> str | None:
        if isinstance(self.example, Local):
            return getattr(self.example, locale, self.example.en)
        return self.example

    def spec(self) -> FieldSpec:
        return FieldSpec(self.name, (self.en, self.ru, self.kk, *self.variants), self.required)


@dataclass(frozen=True)
class Layout:
    kind: ImportKind
    columns: tuple[Column, ...]

    def specs(self) -> list[FieldSpec]:
        return [c.spec() for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


IIN = Column(
    "iin",
    "IIN",
    "ИИН",
    "ЖСН",
    (
        "individual identification number",
        "ИИН студента",
        "ИИН выпускника",
        "ИИН обучающегося",
        "индивидуальный идентификационный номер",
        "жеке сәйкестендіру нөмірі",
        "студенттің ЖСН",
    ),
    example="020314600010",
)
STUDENT_ID = Column(
    "student_id",
    "Student id",
    "ID студента",
    "Студент ID",
    ("id", "student", "студент"),
)
REGION = Column(
    "region_code",
    "Region",
    "Регион",
    "Өңір",
    ("region code", "область", "облыс", "код региона"),
    example="KZ-59",
)
SETTLEMENT = Column(
    "settlement",
    "Settlement",
    "Населённый пункт",
    "Елді мекен",
    ("city", "town", "город", "село", "қала", "ауыл"),
    example=Local("Petropavl", "Петропавловск", "Петропавл"),
)
ADDRESS = Column(
    "address",
    "Address",
    "Адрес",
    "Мекенжай",
    ("адрес проживания", "тұрғылықты мекенжайы"),
    example=Local(
        "Konstitutsii Kazakhstana St. 12, apt. 45",
        "ул. Конституции Казахстана, 12, кв. 45",
        "Қазақстан Конституциясы к-сі, 12-үй, 45-пәтер",
    ),
)
START = Column(
    "start_date",
    "Start date",
    "Дата начала",
    "Басталған күні",
    ("from", "since", "с", "дата с", "басталуы"),
    required=True,
    example="01.09.2024",
)
END = Column(
    "end_date",
    "End date",
    "Дата окончания",
    "Аяқталған күні",
    ("to", "until", "по", "дата по", "аяқталуы"),
)

GRADUATES = Layout(
    ImportKind.graduates,
    (
        # A new graduate is known by the IIN alone; a record may name the student by id.
        dataclasses.replace(IIN, required=True),
        Column(
            "last_name",
            "Last name",
            "Фамилия",
            "Тегі",
            ("surname", "family name"),
            required=True,
            example=Local("Serikbayeva", "Серикбаева", "Серікбаева"),
        ),
        Column(
            "first_name",
            "First name",
            "Имя",
            "Аты",
            ("given name", "есімі"),
            required=True,
            example=Local("Aigerim", "Айгерим", "Әйгерім"),
        ),
        Column(
            "patronymic",
            "Patronymic",
            "Отчество",
            "Әкесінің аты",
            ("middle name", "әкесінің есімі"),
            example=Local("Nurlankyzy", "Нурлановна", "Нұрланқызы"),
        ),
        Column(
            "birth_date",
            "Birth date",
            "Дата рождения",
            "Туған күні",
            ("date of birth", "туған күні", "д р"),
        ),
        Column("sex", "Sex", "Пол", "Жынысы", ("gender",)),
        Column(
            "origin_region_code",
            "Home region",
            "Регион происхождения",
            "Шыққан өңірі",
            ("origin region", "region of origin", "откуда прибыл", "регион проживания"),
            required=True,
            example="KZ-61",
        ),
        Column(
            "email",
            "Email",
            "Эл. почта",
            "Эл. пошта",
            ("e mail", "электронная почта", "электрондық пошта", "почта"),
        ),
        Column(
            "phone",
            "Phone",
            "Телефон",
            "Телефоны",
            ("mobile", "мобильный телефон", "ұялы телефон", "тел"),
        ),
        Column(
            "data_sharing_consent",
            "Data-sharing consent",
            "Согласие на передачу данных",
            "Деректерді беруге келісім",
            ("consent", "согласие", "келісім"),
        ),
        Column("consent_date", "Consent date", "Дата согласия", "Келісім күні"),
        Column(
            "institution_bin",
            "Institution BIN",
            "БИН организации образования",
            "Білім беру ұйымының БСН",
            ("institution", "вуз", "колледж", "оқу орны"),
        ),
        Column(
            "programme",
            "Programme",
            "Программа",
            "Бағдарлама",
            ("programme code", "grant programme", "программа гранта", "грант бағдарламасы"),
            required=True,
            example="serpin",
        ),
        Column(
            "specialty_code",
            "Specialty code",
            "Шифр специальности",
            "Мамандық шифры",
            ("код специальности", "мамандық коды", "шифр"),
            required=True,
            example="6B01501",
        ),
        Column(
            "specialty_name",
            "Specialty",
            "Специальность",
            "Мамандық",
            ("specialty name", "наименование специальности", "мамандық атауы"),
            required=True,
            example=Local("Mathematics teacher", "Учитель математики", "Математика мұғалімі"),
        ),
        Column(
            "field",
            "Field of study",
            "Направление подготовки",
            "Даярлау бағыты",
            ("field", "направление", "бағыт"),
            required=True,
            example="pedagogical",
        ),
        Column(
            "level",
            "Level",
            "Уровень образования",
            "Білім деңгейі",
            ("study level", "уровень", "деңгейі"),
            required=True,
            example="bachelor",
        ),
        Column(
            "start_date",
            "Study start",
            "Дата поступления",
            "Оқуға түскен күні",
            ("start date", "enrolment date", "дата зачисления", "қабылданған күні"),
            required=True,
            example="01.09.2020",
        ),
        Column(
            "expected_graduation_date",
            "Expected graduation",
            "Плановая дата выпуска",
            "Жоспарлы бітіру күні",
            ("expected graduation date", "дата окончания по плану"),
            required=True,
            example="30.06.2024",
        ),
        Column(
            "status",
            "Status",
            "Статус",
            "Мәртебесі",
            ("enrolment status", "статус обучения"),
            example="graduated",
        ),
        Column(
            "status_since",
            "Status since",
            "Статус с",
            "Мәртебе басталған күн",
            ("status date", "дата статуса"),
        ),
        Column(
            "graduation_date",
            "Graduation date",
            "Дата выпуска",
            "Бітірген күні",
            ("дата окончания", "дата окончания обучения", "бітірген күн"),
            example="30.06.2024",
        ),
        Column("grant_share", "Grant share", "Доля гранта", "Грант үлесі", ("share",)),
        Column(
            "annual_grant_cost",
            "Annual grant cost, KZT",
            "Стоимость гранта в год, тенге",
            "Гранттың жылдық құны, теңге",
            ("annual grant cost", "стоимость гранта", "грант құны"),
            required=True,
            example="1000000",
        ),
        Column(
            "referral_employer_bin",
            "Referral employer BIN",
            "БИН работодателя по направлению",
            "Жолдама берген жұмыс берушінің БСН",
            ("referral employer",),
        ),
        Column("referral_region_code", "Referral region", "Регион направления", "Жолдама өңірі"),
        Column("referral_date", "Referral date", "Дата направления", "Жолдама күні"),
    ),
)

EMPLOYMENTS = Layout(
    ImportKind.employments,
    (
        IIN,
        STUDENT_ID,
        Column(
            "employer_bin",
            "Employer BIN",
            "БИН работодателя",
            "Жұмыс берушінің БСН",
            ("employer", "работодатель", "жұмыс беруші", "бин"),
            required=True,
            example="080440000038",
        ),
        START,
        END,
        Column(
            "full_time",
            "Full time",
            "Полная ставка",
            "Толық мөлшерлеме",
            ("full time job", "ставка"),
            example="yes",
        ),
        Column(
            "evidence_kind",
            "Evidence",
            "Основание",
            "Негіздеме",
            ("evidence kind", "подтверждение", "растау"),
            required=True,
            example="contract",
        ),
        REGION,
        SETTLEMENT,
        Column(
            "settlement_kind",
            "Kind of settlement",
            "Тип населённого пункта",
            "Елді мекен түрі",
            ("urban or rural", "город или село"),
        ),
    ),
)

REGISTRATIONS = Layout(
    ImportKind.registrations,
    (
        IIN,
        STUDENT_ID,
        Column(
            "kind",
            "Registration kind",
            "Вид регистрации",
            "Тіркеу түрі",
            ("registration", "прописка", "регистрация", "тіркеу"),
            required=True,
            example="permanent",
        ),
        # A registration is always at an address (``RegistrationCreate``).
        dataclasses.replace(ADDRESS, required=True),
        dataclasses.replace(SETTLEMENT, required=True),
        dataclasses.replace(REGION, required=True),
        START,
        END,
    ),
)

HOUSING = Layout(
    ImportKind.housing,
    (
        IIN,
        STUDENT_ID,
        Column(
            "kind",
            "Housing",
            "Жильё",
            "Тұрғын үй",
            ("housing kind", "вид жилья", "тұрғын үй түрі"),
            required=True,
            example="rented",
        ),
        ADDRESS,
        SETTLEMENT,
        REGION,
        START,
        END,
    ),
)

LAYOUTS: dict[ImportKind, Layout] = {
    layout.kind: layout for layout in (GRADUATES, EMPLOYMENTS, REGISTRATIONS, HOUSING)
}
