from service.reference.models import RegionBase


class RegionPublic(RegionBase):
    pass
