"""The data of bench/caseload.py: institutions of graduates and current students, filled
set-based, with mixes of work, registration and housing that raise different risks.

Every mix is a bucket of a student's number g (``(g * prime) % 100``), so the mixes are
independent of one another and of the institution (``g % 3``), and every run is identical.
"""

SURNAMES = [
    "Akhmetov",
    "Bekov",
    "Dzhaksybekov",
    "Ermekov",
    "Zhumabayev",
    "Iskakov",
    "Kairatov",
    "Mukanov",
    "Nurlanov",
    "Omarov",
    "Sadykov",
    "Tokayev",
    "Utepov",
    "Kenzhebekov",
    "Abenov",
    "Serikbayev",
    "Temirov",
    "Baimukhanov",
    "Kassymov",
    "Zhakupov",
    "Aitbayev",
    "Yesenov",
    "Dauletov",
    "Mussin",
    "Suleimenov",
    "Abdrakhmanov",
    "Tulegenov",
    "Rakhimov",
    "Smagulov",
    "Oralov",
]
FIRST_FEMALE = ["Aigerim", "Dana", "Madina", "Aruzhan", "Zhanar", "Saule", "Ainur"]
FIRST_MALE = ["Arman", "Nurlan", "Daulet", "Yerlan", "Askar", "Timur", "Bauyrzhan"]


def _array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{w}'" for w in words) + "]"


FILL = """
TRUNCATE student, institution, employer, app_user RESTART IDENTITY CASCADE;
INSERT INTO institution (name, kind, bin, region_code, city, created_at, updated_at, version)
VALUES ('North Kazakhstan University', 'university', '050340000118', 'KZ-59', 'Petropavl',
        now(), now(), 1),
       ('East Kazakhstan University', 'university', '990340000227', 'KZ-63', 'Oskemen',
        now(), now(), 1),
       ('Kostanay Pedagogical College', 'college', '010240000336', 'KZ-39', 'Kostanay',
        now(), now(), 1);
INSERT INTO employer (name, bin, region_code, settlement, settlement_kind, created_at,
                      updated_at, version)
VALUES ('Bulaevo school', '100840000178', 'KZ-59', 'Bulaevo', 'rural', now(), now(), 1),
       ('Petropavl city hospital', '100840000287', 'KZ-59', 'Petropavl', 'urban', now(),
        now(), 1),
       ('Almaty logistics', '100840000396', 'KZ-75', 'Almaty', 'urban', now(), now(), 1);

-- Students g = 0 .. total-1 get ids g+1 in order; institution g % 3 + 1; within it, the
-- first {graduates} (k = g / 3) graduated, the rest study now.
INSERT INTO student (iin, last_name, first_name, patronymic, birth_date, sex,
                     origin_region_code, phone, data_sharing_consent, consent_date,
                     created_at, updated_at, version)
SELECT to_char(b, 'YYMMDD') || CASE WHEN g % 2 = 0 THEN '4' ELSE '3' END
           || lpad((g % 100000)::text, 5, '0'),
       ({surnames})[1 + (g / 3) % {n_surnames}] || CASE WHEN g % 2 = 0 THEN 'a' ELSE '' END,
       CASE WHEN g % 2 = 0 THEN ({female})[1 + g % 7] ELSE ({male})[1 + g % 7] END,
       CASE WHEN g % 4 = 0 THEN NULL ELSE 'Serikuly' END, b,
       CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, 'KZ-61',
       '+7701' || lpad(g::text, 7, '0'),
       CASE WHEN (g * 13) % 100 < 80 THEN 'granted' ELSE 'unknown' END,
       CASE WHEN (g * 13) % 100 < 80 THEN date '2022-06-01' ELSE NULL END, now(), now(), 1
FROM generate_series(0, {total} - 1) g,
     LATERAL (SELECT date '1998-01-01' + (g % 2900) AS b) birth;

CREATE TEMP TABLE who AS
SELECT s.id, g, g % 3 + 1 AS institution_id, g / 3 < {graduates} AS graduated,
       CASE WHEN g / 3 < {graduates} THEN 2018 + (g / 3) % 4 ELSE 2023 + (g / 3) % 4 END
           AS cohort,
       CASE WHEN (g * 37) % 100 < 65 THEN 1 ELSE 2 END AS programme_id
FROM student s, LATERAL (SELECT s.id - 1 AS g) n;

INSERT INTO enrolment (student_id, institution_id, programme_id, specialty_code,
    specialty_name, field, level, start_date, expected_graduation_date, graduation_date,
    grant_share, annual_grant_cost, cohort, status, status_since, created_at, updated_at,
    version)
SELECT id, institution_id, programme_id, ({codes})[1 + g % 4], ({specialties})[1 + g % 4],
       ({fields})[1 + g % 4], 'bachelor', make_date(cohort, 9, 1),
       make_date(cohort + 4, 6, 30),
       CASE WHEN graduated THEN make_date(cohort + 4, 6, 28) END, 1, 800000 + (g % 5) * 50000,
       cohort, CASE WHEN graduated THEN 'graduated' ELSE 'enrolled' END,
       CASE WHEN graduated THEN make_date(cohort + 4, 6, 28) ELSE make_date(cohort, 9, 1) END,
       now(), now(), 1
FROM who;

-- Work: half in the host region's villages, 12% in its city, 10% in Almaty (outside the
-- Serpin regions), the rest none; some jobs ended, some unverified or self-reported.
INSERT INTO employment (student_id, employer_id, region_code, settlement, settlement_kind,
    start_date, end_date, full_time, evidence_kind, verified, created_at, updated_at, version)
SELECT id, e.employer_id, e.region_code, e.settlement, e.kind, start,
       CASE WHEN bucket < 8 THEN start + 300 END, bucket % 9 <> 0,
       CASE WHEN bucket % 5 = 0 THEN 'self_reported' ELSE 'pension_contributions' END,
       bucket % 3 <> 0, now(), now(), 1
FROM (SELECT who.*, (g * 53) % 100 AS bucket,
             make_date(cohort + 4, 6, 28) + 60 + g % 200 AS start
      FROM who WHERE graduated) w,
     LATERAL (SELECT * FROM (VALUES
         (1, 'KZ-59', 'Bulaevo', 'rural', w.bucket < 50),
         (2, 'KZ-59', 'Petropavl', 'urban', w.bucket >= 50 AND w.bucket < 62),
         (3, 'KZ-75', 'Almaty', 'urban', w.bucket >= 62 AND w.bucket < 72))
         AS v(employer_id, region_code, settlement, kind, chosen) WHERE chosen) e;

-- Registration: half permanent in the host region, 15% temporary ending soon, 10%
-- permanent in Almaty, a quarter none.
INSERT INTO residence_registration (student_id, kind, address, settlement, region_code,
    start_date, end_date, created_at, updated_at, version, self_reported, verified)
SELECT id, CASE WHEN bucket BETWEEN 50 AND 64 THEN 'temporary' ELSE 'permanent' END,
       'Abai 1', CASE WHEN bucket >= 65 THEN 'Almaty' ELSE 'Petropavl' END,
       CASE WHEN bucket >= 65 THEN 'KZ-75' ELSE 'KZ-59' END,
       make_date(cohort + 4, 6, 28) + 90 + g % 120,
       CASE WHEN bucket BETWEEN 50 AND 64 THEN date '2026-12-01' + g % 90 END,
       now(), now(), 1, bucket % 4 = 0, bucket % 4 <> 0
FROM (SELECT who.*, (g * 71) % 100 AS bucket FROM who WHERE graduated) w
WHERE bucket < 75;

-- Housing: 45% rented, 10% a dormitory ending soon, 5% none, 10% from the employer, the
-- rest never reported.
INSERT INTO housing_arrangement (student_id, kind, region_code, start_date, end_date,
    created_at, updated_at, version, self_reported, verified)
SELECT id, CASE WHEN bucket < 45 THEN 'rented' WHEN bucket < 55 THEN 'dormitory'
                WHEN bucket < 60 THEN 'none' ELSE 'employer_provided' END,
       'KZ-59', make_date(cohort + 4, 7, 1) + g % 60,
       CASE WHEN bucket BETWEEN 45 AND 54 THEN date '2026-11-25' + g % 60 END,
       now(), now(), 1, true, false
FROM (SELECT who.*, (g * 89) % 100 AS bucket FROM who WHERE graduated) w
WHERE bucket < 70;
ANALYZE;
"""


def fill_sql(graduates: int, studying: int) -> str:
    """Three institutions, each of ``graduates`` graduates and ``studying`` students."""
    total = (graduates + studying) * 3
    if total >= 100_000:
        raise SystemExit("IINs end in the student's number: at most 99,999 students")
    values = {
        "graduates": str(graduates),
        "total": str(total),
        "surnames": _array(SURNAMES),
        "n_surnames": str(len(SURNAMES)),
        "female": _array(FIRST_FEMALE),
        "male": _array(FIRST_MALE),
        "codes": _array(["6B01501", "6B10101", "6B08101", "6B07101"]),
        "specialties": _array(["Mathematics teacher", "General medicine", "Agronomy", "Energy"]),
        "fields": _array(["pedagogical", "medical", "agricultural", "technical"]),
    }
    sql = FILL
    for name, value in values.items():
        sql = sql.replace("{" + name + "}", value)
    return sql
