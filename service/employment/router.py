from service.employment.service import spec
from service.students.records import student_records_router

router = student_records_router(spec)
