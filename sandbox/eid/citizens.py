"""Test citizens of the local eID provider. The first two match the demo citizens of Nghi Lộc
(so logging in links their accounts); the others have no account yet (one is created)."""

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citizen:
    id_number: str
    name: str
    birthdate: str
    gender: str
    phone_number: str = ""
    email: str = ""
    address: str = ""
    subject: str = field(default="")

    def sub(self) -> str:
        """A stable pseudonymous subject, the way a real provider gives one per person."""
        return self.subject or str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-eid/{self.id_number}"))

    def claims(self, id_claim: str) -> dict:
        claims = {
            "sub": self.sub(),
            "name": self.name,
            "birthdate": self.birthdate,
            "gender": self.gender,
            id_claim: self.id_number,
        }
        if self.phone_number:
            claims.update(phone_number=self.phone_number, phone_number_verified=True)
        if self.email:
            claims.update(email=self.email, email_verified=True)
        if self.address:
            claims["address"] = {"formatted": self.address, "country": "VN"}
        return claims


CITIZENS = [
    Citizen(
        "040090001234",
        "Nguyễn Văn An",
        "1990-05-12",
        "male",
        "+84912345678",
        "an@example.vn",
        "Xóm 3, xã Nghi Long, huyện Nghi Lộc, Nghệ An",
    ),
    Citizen(
        "040195004321",
        "Trần Thị Bình",
        "1995-08-03",
        "female",
        "+84987654321",
        "binh@example.vn",
        "Khối 2, thị trấn Quán Hành, huyện Nghi Lộc, Nghệ An",
    ),
    Citizen(
        "040088007788",
        "Lê Văn Cường",
        "1988-11-20",
        "male",
        "+84903111222",
        "cuong@example.vn",
        "Xóm 5, xã Nghi Phương, huyện Nghi Lộc, Nghệ An",
    ),
    Citizen(
        "040301003456",
        "Phạm Thị Dung",
        "2001-02-14",
        "female",
        "+84978222333",
        "",
        "Xóm 1, xã Nghi Văn, huyện Nghi Lộc, Nghệ An",
    ),
]
