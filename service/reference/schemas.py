from service.models.reference import RegionBase


class RegionPublic(RegionBase):
    pass
