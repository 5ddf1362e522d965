"""The fixed part of the demo: institutions, employers, places and names (no seed involved).

Organisations and their BINs never depend on the seed, so the first institution's BIN tells
whether demo data is present whatever seed loaded it.
"""

from datetime import date
from typing import NamedTuple

from service.enums import InstitutionKind, SettlementKind, StudyField
from service.organisations.schemas import EmployerCreate, InstitutionCreate
from service.reference.identifiers import make_bin

RURAL, URBAN = SettlementKind.rural, SettlementKind.urban
PED, TECH, AGRO, MED = (
    StudyField.pedagogical,
    StudyField.technical,
    StudyField.agricultural,
    StudyField.medical,
)


class InstitutionSpec(NamedTuple):
    name: str
    kind: InstitutionKind
    region: str
    city: str
    dormitory: str
    base_cost: int  # KZT a study year for the 2019 cohort
    cost_step: int  # added for each later cohort
    specialties: tuple[tuple[str, str, StudyField], ...]


class EmployerSpec(NamedTuple):
    name: str
    region: str
    settlement: str
    kind: SettlementKind
    sector: StudyField


INSTITUTIONS = (
    InstitutionSpec(
        "Manash Kozybayev North Kazakhstan University",
        InstitutionKind.university,
        "KZ-59",
        "Petropavl",
        "Pushkin St. 81, dormitory No. 3",
        850_000,
        50_000,
        (
            ("6B01501", "Mathematics teacher", PED),
            ("6B01701", "Kazakh language and literature teacher", PED),
            ("6B01301", "Primary school teacher", PED),
            ("6B07101", "Electrical power engineering", TECH),
            ("6B08101", "Agronomy", AGRO),
            ("6B09101", "Veterinary medicine", AGRO),
        ),
    ),
    InstitutionSpec(
        "Toraighyrov University",
        InstitutionKind.university,
        "KZ-55",
        "Pavlodar",
        "Lomov St. 64, dormitory No. 1",
        800_000,
        55_000,
        (
            ("6B01502", "Physics teacher", PED),
            ("6B01501", "Mathematics teacher", PED),
            ("6B07101", "Electrical power engineering", TECH),
            ("6B07201", "Metallurgy", TECH),
            ("6B08101", "Agronomy", AGRO),
        ),
    ),
    InstitutionSpec(
        "East Kazakhstan Polytechnic College",
        InstitutionKind.college,
        "KZ-63",
        "Ust-Kamenogorsk",
        "Kabanbai Batyr St. 40, college dormitory",
        450_000,
        30_000,
        (
            ("09130100", "Nursing", MED),
            ("07130100", "Electrical equipment of power plants and networks", TECH),
            ("08110100", "Agronomy", AGRO),
            ("01140100", "Primary education", PED),
        ),
    ),
)

# Each institution's career centre, in the order of INSTITUTIONS: phone, e-mail, address.
CAREER_CENTRES = (
    ("+77152490011", "career@nkzu.example.kz", "Pushkin St. 86, main building, room 112"),
    ("+77182673645", "career@tou.example.kz", "Lomov St. 64, building 1, room 104"),
    ("+77232227120", "career@ekpc.example.kz", "Kabanbai Batyr St. 40, room 9"),
)

EMPLOYERS = (
    EmployerSpec("Petropavl School-Lyceum No. 7", "KZ-59", "Petropavl", URBAN, PED),
    EmployerSpec("Timiryazevo Secondary School", "KZ-59", "Timiryazevo", RURAL, PED),
    EmployerSpec("Saumalkol Secondary School No. 2", "KZ-59", "Saumalkol", RURAL, PED),
    EmployerSpec("North Kazakhstan Regional Hospital", "KZ-59", "Petropavl", URBAN, MED),
    EmployerSpec("Beskol District Polyclinic", "KZ-59", "Beskol", RURAL, MED),
    EmployerSpec("Kyzylzhar Agro LLP", "KZ-59", "Novoishimskoye", RURAL, AGRO),
    EmployerSpec("Peasant farm Zhasyl Dala", "KZ-59", "Smirnovo", RURAL, AGRO),
    EmployerSpec("Petropavl Heavy Machine-Building Plant", "KZ-59", "Petropavl", URBAN, TECH),
    EmployerSpec("North Kazakhstan Power Distribution", "KZ-59", "Petropavl", URBAN, TECH),
    EmployerSpec("Pavlodar Gymnasium No. 3", "KZ-55", "Pavlodar", URBAN, PED),
    EmployerSpec("Sharbakty Secondary School", "KZ-55", "Sharbakty", RURAL, PED),
    EmployerSpec("Zhelezinka Secondary School", "KZ-55", "Zhelezinka", RURAL, PED),
    EmployerSpec("Pavlodar Regional Hospital", "KZ-55", "Pavlodar", URBAN, MED),
    EmployerSpec("Bayanaul District Hospital", "KZ-55", "Bayanaul", RURAL, MED),
    EmployerSpec("Pavlodar Aluminium Smelter", "KZ-55", "Pavlodar", URBAN, TECH),
    EmployerSpec("Ekibastuz Power Plant", "KZ-55", "Ekibastuz", URBAN, TECH),
    EmployerSpec("Irtysh Agro LLP", "KZ-55", "Irtyshsk", RURAL, AGRO),
    EmployerSpec("Ust-Kamenogorsk School-Gymnasium No. 38", "KZ-63", "Ust-Kamenogorsk", URBAN, PED),
    EmployerSpec("Glubokoye Secondary School", "KZ-63", "Glubokoye", RURAL, PED),
    EmployerSpec("East Kazakhstan Regional Hospital", "KZ-63", "Ust-Kamenogorsk", URBAN, MED),
    EmployerSpec("Ulan District Hospital", "KZ-63", "Kasym Kaisenov", RURAL, MED),
    EmployerSpec(
        "Ust-Kamenogorsk Titanium-Magnesium Plant", "KZ-63", "Ust-Kamenogorsk", URBAN, TECH
    ),
    EmployerSpec("Ridder Mining Company", "KZ-63", "Ridder", URBAN, TECH),
    EmployerSpec("Peasant farm Altai Bal", "KZ-63", "Kurchum", RURAL, AGRO),
    EmployerSpec("Semey Medical Centre", "KZ-10", "Semey", URBAN, MED),
    EmployerSpec("Urzhar Secondary School", "KZ-10", "Urzhar", RURAL, PED),
    EmployerSpec("Abai Agro LLP", "KZ-10", "Karaul", RURAL, AGRO),
    EmployerSpec("Karasu Secondary School", "KZ-39", "Karasu", RURAL, PED),
    EmployerSpec("Tobol Agro Holding", "KZ-39", "Zatobolsk", RURAL, AGRO),
    # Outside the Serpin host regions: where graduates go when they leave early.
    EmployerSpec("Almaty City Polyclinic No. 5", "KZ-75", "Almaty", URBAN, MED),
    EmployerSpec("Almaty Logistics Centre LLP", "KZ-75", "Almaty", URBAN, TECH),
    EmployerSpec("Shymkent School-Lyceum No. 15", "KZ-79", "Shymkent", URBAN, PED),
    EmployerSpec("Shymkent Cement Plant", "KZ-79", "Shymkent", URBAN, TECH),
)

# Host regions with demo employers; the seeded rules allow more (0002_reference_data.py).
HOST_REGIONS = ("KZ-59", "KZ-55", "KZ-63", "KZ-10", "KZ-39")
OUTSIDE_REGIONS = ("KZ-75", "KZ-79")

SENDING_REGIONS = {
    "KZ-61": ("Atakent", "Asykata", "Shaulder", "Sholakkorgan", "Temirlan", "Kazygurt"),
    "KZ-79": ("Shymkent",),
    "KZ-31": ("Merke", "Kordai", "Sarykemer", "Bauyrzhan Momyshuly", "Tole Bi"),
    "KZ-43": ("Aiteke Bi", "Zhalagash", "Shieli", "Terenozek", "Zhosaly"),
    "KZ-19": ("Uzynagash", "Shamalgan", "Shelek", "Bakanas", "Kapal"),
    "KZ-47": ("Shetpe", "Beineu", "Kuryk", "Zhetybai"),
}

MALE_NAMES = (
    "Nurlan", "Yerlan", "Daniyar", "Arman", "Azamat", "Bauyrzhan", "Dauren", "Yerzhan",
    "Nursultan", "Aibek", "Alibek", "Askar", "Bekzat", "Dias", "Zhandos", "Miras", "Temirlan",
    "Sanzhar", "Yernar", "Olzhas", "Rustem", "Marat", "Abylai", "Nurbolat", "Serik", "Kairat",
)  # fmt: skip
FEMALE_NAMES = (
    "Aigerim", "Aruzhan", "Dana", "Dinara", "Zhanar", "Aizhan", "Gulnara", "Madina", "Akbota",
    "Ainur", "Saltanat", "Togzhan", "Zarina", "Assel", "Kamila", "Moldir", "Nazerke", "Balnur",
    "Meruyert", "Aliya", "Dariga", "Zhansaya", "Tomiris", "Aidana", "Akerke", "Symbat",
)  # fmt: skip
# Male forms; the female form adds "a" (Akhmetov, Akhmetova).
SURNAMES = (
    "Akhmetov", "Serikbayev", "Nurpeisov", "Zhumabayev", "Tulegenov", "Ospanov", "Kassymov",
    "Iskakov", "Sadykov", "Sarsenbayev", "Abdrakhmanov", "Yergaliyev", "Bekmuratov", "Omarov",
    "Kaldybekov", "Mukhtarov", "Seitkaliyev", "Utebayev", "Zhakypov", "Suleimenov", "Amanov",
    "Baimukhanov", "Tokhtarov", "Abilov", "Karimov", "Yessenov", "Duisenov", "Myrzakhmetov",
)  # fmt: skip
STREETS = (
    "Abai", "Tole Bi", "Kazybek Bi", "Dostyk", "Baiterek", "Zheltoksan", "Satpayev", "Auezov",
    "Bokeikhan", "Tauelsizdik", "Seifullin", "Kunayev", "Zhambyl", "Momyshuly", "Mira",
)  # fmt: skip


def allowed_regions(programme_id: int, institution_region: str) -> tuple[str, ...]:
    """Where the demo places a programme's graduates on referral (inside its rule's regions)."""
    if programme_id == 3:  # Bilikti Maman: East Kazakhstan only
        return ("KZ-63",)
    return (institution_region, *HOST_REGIONS)


def _valid_bin(registered: date, unit: int, serial: int) -> str:
    while (bin_ := make_bin(registered, 4, unit, serial)) is None:
        serial += 1
    return bin_


def institution_bin(index: int) -> str:
    return _valid_bin(date(1996 + 4 * index, 3 + index, 1), 0, 20_500 + 10 * index)


def employer_bin(index: int) -> str:
    unit = 3 if EMPLOYERS[index].name.startswith("Peasant farm") else 0
    return _valid_bin(date(2001 + index % 20, 1 + index % 12, 1), unit, 20_600 + 10 * index)


DEMO_MARKER_BIN = institution_bin(0)
"""The first demo institution's BIN: when it is in the database, the demo data is."""


def institutions() -> list[InstitutionCreate]:
    return [
        InstitutionCreate(
            name=i.name,
            kind=i.kind,
            bin=institution_bin(n),
            region_code=i.region,
            city=i.city,
            career_centre_phone=phone,
            career_centre_email=email,
            career_centre_address=address,
        )
        for n, (i, (phone, email, address)) in enumerate(
            zip(INSTITUTIONS, CAREER_CENTRES, strict=True)
        )
    ]


def employers() -> list[EmployerCreate]:
    return [
        EmployerCreate(
            name=e.name,
            bin=employer_bin(n),
            region_code=e.region,
            settlement=e.settlement,
            settlement_kind=e.kind,
        )
        for n, e in enumerate(EMPLOYERS)
    ]
