"""The national payment platform (PayGov, "Nền tảng thanh toán" of the national public-service portal)."""
