from service.employment.service import spec
from service.students.records_router import student_records_router

router = student_records_router(spec)
