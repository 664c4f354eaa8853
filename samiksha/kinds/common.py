"""The fields every kind of report may have: the places a row is about, and a serial number."""

from __future__ import annotations

from samiksha.reading import Field

SERIAL = Field("serial", "count", words=(("SERIAL",),), not_words=("CODE", "ID"))
DISTRICT = Field("district", "name", words=(("DISTRICT",),), not_words=("CODE", "ID", "OFFICER", "FACILITY"))
DISTRICT_CODE = Field("district_code", "code", words=(("DISTRICT", "CODE"), ("DISTRICT", "ID")),
                      not_words=("BLOCK",))
BLOCK = Field("block", "name", words=(("BLOCK",),),
              not_words=("CODE", "ID", "OFFICER", "FACILITY", "VERSION", "DISTRICT", "MOBILE", "SIGN"))
BLOCK_CODE = Field("block_code", "code", words=(("BLOCK", "CODE"), ("BLOCK", "ID")),
                   weak=(("SUBDISTRICT", "CODE"),), not_words=("DISTRICT", "VERSION"))
PANCHAYAT = Field("panchayat", "name", words=(("PANCHAYAT",),),
                  not_words=("CODE", "ID", "OFFICER", "SIGN", "VERSION", "MOBILE", "TARGET", "ROLE"))
PANCHAYAT_CODE = Field("panchayat_code", "code", words=(("PANCHAYAT", "CODE"), ("PANCHAYAT", "ID")),
                       not_words=("VERSION", "ROLE", "DISTRICT", "BLOCK", "CENSUS", "PARENT"))
VILLAGE = Field("village", "name", words=(("VILLAGE",),),
                not_words=("CODE", "ID", "VO", "STATUS", "VERSION", "PANCHAYAT"))

PLACES = (SERIAL, DISTRICT, DISTRICT_CODE, BLOCK, BLOCK_CODE, PANCHAYAT, PANCHAYAT_CODE, VILLAGE)
PLACE_FIELDS = ("block", "panchayat", "block_code", "panchayat_code", "district")


def has_place(fields) -> bool:
    return any(f in fields for f in ("block", "panchayat", "block_code", "panchayat_code"))
