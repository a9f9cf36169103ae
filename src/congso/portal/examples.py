"""A filled-in declaration of the demo district's birth registration (procedure 1.001193), valid
against its form schema: one example shared by the tests, the browser journeys and the portal
benchmark, so that they all file the same dossier a citizen would."""

BIRTH_ANSWERS = {
    "declarant": {
        "full_name": "Nguyễn Văn An",
        "id_kind": "citizen_id",
        "id_number": "040090001234",
        "residence": "Xóm 3, xã Nghi Long",
    },
    "relationship": "Cha",
    "child": {
        "full_name": "Nguyễn Minh Khang",
        "sex": "male",
        "date_of_birth": "2026-11-20",
        "place_of_birth": "Bệnh viện đa khoa huyện Nghi Lộc",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    },
    "mother": {"full_name": "Lê Thị Hoa"},
    "commitment": True,
}
