"""Filled-in declarations of demo procedures used by the tests and the browser journeys (the
birth registration's is ``congso.portal.examples.BIRTH_ANSWERS``)."""

#: Certification of copies (2.000815): one 12-page document, 3 certified copies.
CERTIFICATION_ANSWERS = {
    "requester": {
        "full_name": "Nguyễn Văn An",
        "id_kind": "citizen_id",
        "id_number": "040090001234",
        "residence": "Xóm 3, xã Nghi Long",
    },
    "documents": [
        {
            "name": "Sổ đỏ thửa đất số 12",
            "issued_by": "UBND huyện Nghi Lộc",
            "pages": 12,
            "copies": 3,
        }
    ],
    "delivery": "desk",
}

#: Confirmation of marital status (1.004873) for a walk-in applicant.
MARITAL_STATUS_ANSWERS = {
    "declarant": {
        "full_name": "Trần Thị Bình",
        "id_kind": "citizen_id",
        "id_number": "040195004321",
        "residence": "Xóm 5, xã Nghi Long",
    },
    "person": {
        "full_name": "Trần Thị Bình",
        "date_of_birth": "1995-08-03",
        "id_number": "040195004321",
        "residence": "Xóm 5, xã Nghi Long",
        "sex": "female",
    },
    "marital_status": "never_married",
    "purpose": "Để đăng ký kết hôn",
    "commitment": True,
}
