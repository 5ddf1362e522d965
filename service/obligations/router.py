from service.obligations.service import release_spec, suspension_spec
from service.student_records import student_records_router

suspensions_router = student_records_router(suspension_spec)
releases_router = student_records_router(release_spec)
