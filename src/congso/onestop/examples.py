"""Filled-in declarations of the demo catalogue's procedures, valid against their form schemas:
the demo issues its results from them, and the result-template tests render every template from
them. (The portal's birth example, ``portal/examples.py``, is the one the citizen journeys file.)
A procedure whose version has no form schema declares nothing: its result binds the dossier."""

DECLARATIONS: dict[str, dict] = {
    "1.001193": {
        "declarant": {
            "full_name": "Trần Thị Thu",
            "id_kind": "citizen_id",
            "id_number": "040192005678",
            "residence": "Xóm 5, xã Nghi Long",
        },
        "relationship": "Mẹ",
        "child": {
            "full_name": "Phan Gia Bảo",
            "sex": "male",
            "date_of_birth": "2026-02-14",
            "date_of_birth_in_words": "Ngày mười bốn, tháng hai, năm hai nghìn không trăm hai mươi sáu",
            "place_of_birth": "Trạm Y tế xã Nghi Long",
            "hometown": "Nghi Long, Nghi Lộc, Nghệ An",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
        },
        "mother": {
            "full_name": "Trần Thị Thu",
            "year_of_birth": 1992,
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": "Xóm 5, xã Nghi Long",
        },
        "father": {
            "full_name": "Phan Văn Hải",
            "year_of_birth": 1990,
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": "Xóm 5, xã Nghi Long",
        },
        "copies_requested": 2,
        "commitment": True,
    },
    "1.000894": {
        "wife": {
            "full_name": "Hồ Thị Lan",
            "date_of_birth": "1998-06-03",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040198003344",
            "residence": "Xóm 2, xã Nghi Long",
        },
        "husband": {
            "full_name": "Đặng Văn Tùng",
            "date_of_birth": "1996-09-21",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040096007788",
            "residence": "Xóm 7, xã Nghi Long",
        },
        "commitment": True,
    },
    "1.000656": {
        "declarant": {
            "full_name": "Võ Văn Minh",
            "id_kind": "citizen_id",
            "id_number": "040075001122",
            "residence": "Xóm 4, xã Nghi Long",
        },
        "relationship": "Con",
        "deceased": {
            "full_name": "Võ Văn Thành",
            "sex": "male",
            "date_of_birth": "1940-01-15",
            "id_number": "040040009900",
            "residence": "Xóm 4, xã Nghi Long",
            "date_of_death": "2026-02-27",
            "time_of_death": "05:30",
            "place_of_death": "Tại nhà, xóm 4, xã Nghi Long",
            "cause_of_death": "Già yếu",
        },
        "commitment": True,
    },
    "1.004873": {
        "declarant": {
            "full_name": "Nguyễn Thị Hằng",
            "id_kind": "citizen_id",
            "id_number": "040195004455",
            "residence": "Xóm 1, xã Nghi Long",
        },
        "person": {
            "full_name": "Nguyễn Thị Hằng",
            "date_of_birth": "1995-04-08",
            "sex": "female",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040195004455",
            "residence": "Xóm 1, xã Nghi Long",
        },
        "marital_status": "never_married",
        "purpose": "Để đăng ký kết hôn",
        "copies_requested": 1,
        "commitment": True,
    },
    "2.000815": {
        "requester": {
            "full_name": "Lê Văn Hùng",
            "id_kind": "citizen_id",
            "id_number": "040088006611",
            "residence": "Xóm 6, xã Nghi Long",
        },
        "documents": [
            {"name": "Bằng tốt nghiệp trung học phổ thông", "pages": 1, "copies": 3},
            {"name": "Học bạ trung học phổ thông", "pages": 12, "copies": 3},
        ],
        "delivery": "desk",
    },
    "1.001776": {
        "beneficiary": {
            "full_name": "Phạm Thị Nhung",
            "date_of_birth": "1944-12-02",
            "sex": "female",
            "id_number": "040144002233",
            "residence": "Xóm 8, xã Nghi Long",
        },
        "category": "elderly",
        "current_support": False,
        "bank_account": "3605205123456",
        "commitment": True,
    },
    "1.001612": {
        "business_name": "HỘ KINH DOANH TẠP HÓA THU HÀ",
        "address": {
            "street": "Xóm 3",
            "commune": "Xã Nghi Long",
            "district": "Huyện Nghi Lộc",
            "province": "Nghệ An",
        },
        "business_lines": [{"name": "Bán lẻ lương thực, thực phẩm", "code": "4721"}],
        "capital": 150000000,
        "owner": {
            "full_name": "Nguyễn Thị Thu Hà",
            "date_of_birth": "1985-07-19",
            "sex": "female",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040185007711",
            "residence": "Xóm 3, xã Nghi Long",
        },
        "commitment": True,
    },
}


def declaration(procedure_code: str) -> dict:
    """A copy of the example declaration of a procedure (empty when it declares nothing)."""
    import copy

    return copy.deepcopy(DECLARATIONS.get(procedure_code, {}))
