from service.housing.service import application_spec, arrangement_spec
from service.students.records_router import student_records_router

arrangements_router = student_records_router(arrangement_spec)
applications_router = student_records_router(application_spec)
